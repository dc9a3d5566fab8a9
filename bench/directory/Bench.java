import java.io.BufferedWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.keyhaven.directory.embedded.EmbeddedDirectory;
import org.keyhaven.directory.ldap.LdapDirectoryPublisher;

/**
 * Directory benchmark fixture: N distinct S/MIME certificates (one per mailbox userI@example.org),
 * loaded into the embedded server through LdapDirectoryPublisher.loadCertificates (the start-up
 * rebuild path), heap per
 * entry measured, and the same entries written as LDIF for slapadd. Then serves until killed.
 * Usage: java -cp CP Bench.java N PORT LDIF_OUT
 */
public class Bench {
  public static void main(String[] a) throws Exception {
    int n = Integer.parseInt(a[0]);
    int port = Integer.parseInt(a[1]);
    Path ldif = Path.of(a[2]);
    String base = "dc=example,dc=org";
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair ca = g.generateKeyPair();
    KeyPair subject = g.generateKeyPair();
    // One real signature reused for every certificate: the directory never verifies end-entity
    // signatures (neither does slapd), and 100k ECDSA signatures would dominate the run.
    ContentSigner real = new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate());
    real.getOutputStream().write(1);
    byte[] fixed = real.getSignature();
    ContentSigner signer = new ContentSigner() {
      public org.bouncycastle.asn1.x509.AlgorithmIdentifier getAlgorithmIdentifier() {
        return real.getAlgorithmIdentifier();
      }

      public java.io.OutputStream getOutputStream() {
        return java.io.OutputStream.nullOutputStream();
      }

      public byte[] getSignature() {
        return fixed;
      }
    };
    X500Name caName = new X500Name("CN=Bench CA,O=Example");
    Instant now = Instant.now();
    long t0 = System.nanoTime();
    List<byte[]> certs = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      var b = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(i),
          Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(365))),
          new X500Name("CN=User " + i), subject.getPublic());
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.rfc822Name, "user" + i + "@example.org")));
      certs.add(b.build(signer).getEncoded());
    }
    System.out.printf("generated %d certificates in %.1f s (avg %d bytes)%n", n,
        (System.nanoTime() - t0) / 1e9, certs.get(0).length);
    try (BufferedWriter w = Files.newBufferedWriter(ldif)) {
      w.write("dn: " + base + "\nobjectClass: top\nobjectClass: domain\ndc: example\n\n");
      w.write("dn: ou=people," + base + "\nobjectClass: top\nobjectClass: organizationalUnit\n"
          + "ou: people\n\n");
      for (int i = 1; i <= n; i++) {
        String m = "user" + i + "@example.org";
        w.write("dn: uid=" + m + ",ou=people," + base + "\nobjectClass: top\nobjectClass: person"
            + "\nobjectClass: organizationalPerson\nobjectClass: inetOrgPerson\nobjectClass: "
            + "pkiUser\nuid: " + m + "\ncn: User " + i + "\nsn: " + i + "\nmail: " + m
            + "\nuserCertificate;binary:: " + Base64.getEncoder().encodeToString(certs.get(i - 1))
            + "\n\n");
      }
    }
    System.gc();
    Thread.sleep(500);
    Runtime rt = Runtime.getRuntime();
    long before = rt.totalMemory() - rt.freeMemory();
    long s0 = System.nanoTime();
    EmbeddedDirectory d = EmbeddedDirectory.start(EmbeddedDirectory.Options
        .defaults(base, "127.0.0.1", port));
    LdapDirectoryPublisher p = d.publisher(Clock.systemUTC());
    // The start-up rebuild path (PublicationWorker.reconcile after clear): one bulk load.
    int loaded = p.loadCertificates(certs);
    double rebuild = (System.nanoTime() - s0) / 1e9;
    if (loaded != n) {
      throw new IllegalStateException("loaded " + loaded + " of " + n);
    }
    certs = null;
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(300);
    }
    long after = rt.totalMemory() - rt.freeMemory();
    System.out.printf("embedded start + rebuild (loadCertificates, %d): %.1f s%n", n, rebuild);
    System.out.printf("embedded heap: +%.1f MiB, %.0f bytes/entry%n", (after - before) / 1048576.0,
        (after - before) / (double) n);
    System.out.println("READY " + d.port());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
