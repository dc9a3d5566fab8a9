package org.keyhaven.server.http.revocation;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.crl.CrlKind;
import org.keyhaven.ca.crl.CrlService;
import org.keyhaven.ca.crl.StoredCrl;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.http.RouteGroup;

/**
 * {@code GET /crl/{ca}.crl} and {@code /crl/{ca}-delta.crl}: DER ({@code application/pkix-crl},
 * RFC 5280 §4.2.1.13), or PEM with {@code ?pem}. The CRL is regenerated on the fly if a revocation
 * is newer than it, so the first fetch after a revocation already lists it.
 */
public final class CrlRoutes implements RouteGroup {
  private final CrlService crls;
  private final CertificateAuthority ca;

  public CrlRoutes(CrlService crls, CertificateAuthority ca) {
    this.crls = crls;
    this.ca = ca;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/crl/{file}", this::crl);
  }

  private void crl(Context ctx) {
    String file = ctx.pathParam("file");
    if (!file.endsWith(".crl")) {
      throw PkiException.notFound("use /crl/<ca>.crl or /crl/<ca>-delta.crl");
    }
    String name = file.substring(0, file.length() - 4);
    CrlKind kind = CrlKind.FULL;
    // A CA may itself be called "x-delta"; the full CRL of an existing CA id wins.
    if (name.endsWith("-delta") && ca.registry().find(safeId(name)).isEmpty()) {
      name = name.substring(0, name.length() - "-delta".length());
      kind = CrlKind.DELTA;
    }
    StoredCrl crl = crls.current(safeId(name), kind);
    String etag = "\"crl-" + crl.caId() + "-" + crl.number() + "\"";
    ctx.header("ETag", etag);
    ctx.header("Last-Modified", HttpDates.format(crl.thisUpdate()));
    ctx.header("Expires", HttpDates.format(crl.nextUpdate()));
    // Short: a revocation makes a new CRL at once, and relying parties should see it soon.
    ctx.header("Cache-Control", "public, max-age=60, no-transform");
    if (HttpDates.notModified(ctx, etag)) {
      return;
    }
    if (ctx.queryParam("pem") != null) {
      ctx.contentType("application/x-pem-file");
      ctx.result(IssuedCertificate.pem("X509 CRL", crl.der().toByteArray()));
    } else {
      ctx.contentType("application/pkix-crl");
      ctx.result(crl.der().toByteArray());
    }
  }

  private static CaId safeId(String name) {
    try {
      return CaId.of(name);
    } catch (PkiException e) {
      throw PkiException.notFound("no CA '%s'", name.length() > 63 ? "…" : name);
    }
  }
}
