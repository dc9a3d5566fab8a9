package org.keyhaven.server.http.ca;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.util.CollectionStore;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.http.RouteGroup;

/**
 * Public CA certificates (the AIA caIssuers targets): {@code /ca/{ca}.crt} (DER, RFC 5280
 * §4.2.2.1), {@code /ca/{ca}.pem}, and {@code /ca/{ca}/chain.p7c}, the chain as a certs-only
 * PKCS#7 (RFC 8551 §3.2.2), and {@code /ca/{ca}/cross.p7c}, its cross-certificates.
 */
public final class CaPublicRoutes implements RouteGroup {
  private final CertificateAuthority ca;

  public CaPublicRoutes(CertificateAuthority ca) {
    this.ca = ca;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/ca/{file}", this::certificate);
    routes.get("/ca/{ca}/chain.p7c", this::chain);
    routes.get("/ca/{ca}/cross.p7c", this::cross);
  }

  /**
   * The cross-certificates external CAs issued for this CA, with the external intermediates
   * above them (not their roots), as a certs-only PKCS#7.
   */
  private void cross(Context ctx) {
    CaId id = CaId.of(ctx.pathParam("ca"));
    List<Bytes> cross = new ArrayList<>(ca.crossCertificates(id));
    if (cross.isEmpty()) {
      throw PkiException.notFound("CA %s has no cross-certificates", id);
    }
    cross.addAll(ca.crossIssuers(id));
    certsOnly(ctx, id, cross);
  }

  private void certificate(Context ctx) {
    String file = ctx.pathParam("file");
    int dot = file.lastIndexOf('.');
    String ext = dot < 0 ? "" : file.substring(dot + 1);
    if (!ext.equals("crt") && !ext.equals("pem")) {
      throw PkiException.notFound("use /ca/<ca>.crt, /ca/<ca>.pem or /ca/<ca>/chain.p7c");
    }
    CaId id = CaId.of(file.substring(0, dot));
    Bytes der = ca.ca(id).certificate();
    ctx.header("Cache-Control", "public, max-age=3600");
    if (ext.equals("crt")) {
      ctx.contentType("application/pkix-cert").result(der.toByteArray());
    } else {
      ctx.contentType("application/x-pem-file").result(CaJson.pem(der));
    }
  }

  private void chain(Context ctx) {
    CaId id = CaId.of(ctx.pathParam("ca"));
    certsOnly(ctx, id, ca.chain(id));
  }

  private static void certsOnly(Context ctx, CaId id, List<Bytes> certs) {
    List<X509CertificateHolder> holders = new ArrayList<>();
    try {
      for (Bytes b : certs) {
        holders.add(new X509CertificateHolder(b.toByteArray()));
      }
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      gen.addCertificates(new CollectionStore<>(holders));
      byte[] p7 = gen.generate(new CMSAbsentContent()).getEncoded("DER");
      ctx.header("Cache-Control", "public, max-age=3600");
      ctx.contentType("application/pkcs7-mime; smime-type=certs-only").result(p7);
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot encode the certificates of %s", id);
    }
  }
}
