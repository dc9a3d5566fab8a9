import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Loads one smime-encrypt certificate for each of bench{first}..bench{first+N-1}@example.org
 * (GenKeys gives the OpenPGP keys bench0..) through the REST API, the real issuance path, with
 * {@code inflight} requests in flight over as many HTTP/1.1 connections (default 16). CSRs are
 * built with BouncyCastle from one P-256 key (the CA does not require distinct keys), so the
 * client stays light.
 * Usage: java -cp <bcprov,bcpkix,bcutil> IssueLoad.java <base-url> <token> <n> [first] [inflight]
 */
public class IssueLoad {
  public static void main(String[] a) throws Exception {
    String base = a[0];
    String token = a[1];
    int n = Integer.parseInt(a[2]);
    int first = a.length > 3 ? Integer.parseInt(a[3]) : 0;
    int inflight = a.length > 4 ? Integer.parseInt(a[4]) : 16;
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    // A ContentSigner is stateful (one signature stream): one per CSR, never shared by threads.
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    ExecutorService pool = Executors.newFixedThreadPool(inflight);
    AtomicInteger ok = new AtomicInteger();
    AtomicInteger bad = new AtomicInteger();
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      int id = first + i;
      pool.submit(() -> {
        try {
          ExtensionsGenerator ext = new ExtensionsGenerator();
          ext.addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(new GeneralName(GeneralName.rfc822Name, "bench" + id + "@example.org")));
          var csr = new JcaPKCS10CertificationRequestBuilder(
              new X500Name("O=Example Org,CN=Bench User " + id), kp.getPublic())
              .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
              .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
          StringWriter sw = new StringWriter();
          try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(csr);
          }
          String body = "{\"csr\":\"" + sw.toString().replace("\r", "").replace("\n", "\\n")
              + "\",\"profile\":\"smime-encrypt\"}";
          var r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/cas/ca-mail/certificates"))
              .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
          int done = (r.statusCode() == 201 ? ok : bad).incrementAndGet();
          if (r.statusCode() == 201 && done % 10000 == 0) {
            System.out.printf("  %d issued, %.0f/s%n", done, done / ((System.nanoTime() - t0) / 1e9));
          }
          if (r.statusCode() != 201 && bad.get() < 5) {
            System.err.println(r.statusCode() + " " + r.body());
          }
        } catch (Exception e) {
          if (bad.incrementAndGet() < 5) {
            e.printStackTrace();
          }
        }
      });
    }
    pool.shutdown();
    pool.awaitTermination(2, TimeUnit.HOURS);
    double s = (System.nanoTime() - t0) / 1e9;
    System.out.printf("issued %d certificates (%d failed) in %.1f s: %.0f/s%n", ok.get(), bad.get(), s, ok.get() / s);
  }
}
