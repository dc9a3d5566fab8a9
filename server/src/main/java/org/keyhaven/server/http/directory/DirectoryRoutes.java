package org.keyhaven.server.http.directory;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.http.RouteGroup;
import org.keyhaven.server.jobs.DirectorySource;

/**
 * {@code GET /certs/search?email=…}: the certificates the directory shows for a mailbox, as
 * {@code application/pkix-cert} for one and a certs-only {@code application/pkcs7-mime} for
 * several (RFC 4387 §3; RFC 8551 §3.2.2), 404 for none. Answers come from the database, which is
 * what the directory is built from, so LDAP and HTTP clients see the same certificates.
 */
public final class DirectoryRoutes implements RouteGroup {
  private final DirectorySource source;

  public DirectoryRoutes(DirectorySource source) {
    this.source = source;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/certs/search", this::search);
    routes.get("/search.cgi", this::search); // the path of RFC 4387's examples
  }

  private void search(Context ctx) {
    String email = ctx.queryParam("email");
    if (email == null || email.isBlank() || email.length() > 320 || !email.contains("@")) {
      throw PkiException.malformed("give the mailbox as ?email=local@domain");
    }
    List<byte[]> certs = new ArrayList<>();
    for (DirectorySource.Cert c : source.currentCertificates(email.strip())) {
      certs.add(c.der());
    }
    ctx.header("Cache-Control", "public, max-age=60, no-transform");
    if (certs.isEmpty()) {
      ctx.status(404).contentType("text/plain; charset=utf-8")
          .result("no certificate for " + email.strip() + "\n");
    } else if (certs.size() == 1 && !"p7".equals(ctx.queryParam("format"))) {
      ctx.contentType("application/pkix-cert").result(certs.get(0));
    } else {
      ctx.contentType("application/pkcs7-mime; smime-type=certs-only").result(certsOnly(certs));
    }
  }

  /** A degenerate SignedData carrying only certificates (RFC 5652 §5, RFC 8551 §3.2.2). */
  static byte[] certsOnly(List<byte[]> certs) {
    try {
      List<X509CertificateHolder> holders = new ArrayList<>();
      for (byte[] der : certs) {
        holders.add(new X509CertificateHolder(der));
      }
      CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
      gen.addCertificates(new org.bouncycastle.util.CollectionStore<>(holders));
      return gen.generate(new CMSAbsentContent(), false).getEncoded("DER");
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot build a certs-only PKCS#7");
    }
  }
}
