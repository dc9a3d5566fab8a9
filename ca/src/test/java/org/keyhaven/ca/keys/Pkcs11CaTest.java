package org.keyhaven.ca.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.CaConfig;
import org.keyhaven.ca.CaFixture;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.Csrs;
import org.keyhaven.ca.IssuanceOutcome;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.hierarchy.CaCreator;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.common.Bytes;

/**
 * The HSM path: a CA whose key is generated on a SoftHSM2 token through SunPKCS11 (sensitive,
 * unextractable), persisted as a token object, and a certificate it issues verified by openssl.
 */
class Pkcs11CaTest {
  static final String PIN = "12345678";
  @TempDir static Path dir;
  static Path cfg;
  static Path pinFile;

  @BeforeAll
  static void token() throws Exception {
    String lib = library();
    boolean ci = "true".equals(System.getenv("CI"));
    if (lib == null && ci) {
      throw new IllegalStateException("softhsm2 missing under CI (.ci/deps/ca.txt)");
    }
    assumeTrue(lib != null, "softhsm2 not installed");
    Path conf = Path.of(System.getenv("SOFTHSM2_CONF"));
    Path tokens = conf.getParent().resolve("tokens");
    if (Files.exists(tokens)) {
      try (var s = Files.walk(tokens)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
    Files.createDirectories(tokens);
    Files.writeString(conf, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\n"
        + "log.level = ERROR\nslots.removable = false\n");
    run("softhsm2-util", "--init-token", "--free", "--label", "keyhaven-ci", "--so-pin",
        "87654321", "--pin", PIN);
    cfg = dir.resolve("pkcs11.cfg");
    // Without the attributes template SunPKCS11 generates CKA_SENSITIVE=false keys.
    Files.writeString(cfg, "name = SoftHSM\nlibrary = " + lib + "\nslotListIndex = 0\n"
        + "attributes(generate, CKO_PRIVATE_KEY, *) = {\n  CKA_SENSITIVE = true\n"
        + "  CKA_EXTRACTABLE = false\n}\n");
    pinFile = dir.resolve("pin");
    Files.writeString(pinFile, PIN + "\n");
  }

  static String library() {
    for (String p : new String[] {"/usr/lib/softhsm/libsofthsm2.so",
        "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so"}) {
      if (Files.exists(Path.of(p))) {
        return p;
      }
    }
    return null;
  }

  static String run(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed: " + out);
    }
    return out;
  }

  @Test
  void tokenBackedCa_issuesCertificateThatOpensslVerifies() throws Exception {
    DataSource ds = CaFixture.h2();
    CaConfig config = CaConfig.of("Example Org", List.of("example.org"),
            "http://pki.example.org", dir.resolve("data"))
        .withPbeIterations(1000)
        .withPkcs11(new Pkcs11Settings(cfg, pinFile));
    CaFixture.RecordingAudit audit = new CaFixture.RecordingAudit();
    CertificateAuthority ca = org.keyhaven.ca.store.jdbc.JdbcCertificateAuthority.open(config, ds, Clock.systemUTC(), audit);
    ca.bootstrap();
    CaNode hsm = ca.create(new CaCreator.NewCa(CaId.of("ca-hsm"),
        Optional.of(CaId.of("pca-standard")), PolicyKind.STANDARD, null, KeyAlgorithm.EC_P384,
        "HSM Issuing CA", 0, null, true), "admin");
    assertThat(hsm.key()).isInstanceOf(KeyReference.Token.class);
    assertThat(((KeyReference.Token) hsm.key()).alias()).isEqualTo("keyhaven-ca-hsm");
    assertThat(run("softhsm2-util", "--show-slots")).contains("keyhaven-ci");

    issueAndVerify(ca, "first");
    // A fresh CA instance (new SunPKCS11 login) finds the key as a persistent token object.
    CertificateAuthority again = org.keyhaven.ca.store.jdbc.JdbcCertificateAuthority.open(config, ds, Clock.systemUTC(), audit);
    issueAndVerify(again, "second");
  }

  static void issueAndVerify(CertificateAuthority ca, String name) throws Exception {
    String csr = Csrs.csr(Csrs.ec("secp256r1")).email(name + "@example.org").pem();
    var out = (IssuanceOutcome.Issued) ca.issue("ra", CaId.of("ca-hsm"), csr, "smime-sign",
        null);
    Path d = Files.createDirectories(dir.resolve(name));
    Files.writeString(d.resolve("ee.pem"), out.certificate().pem());
    List<Bytes> chain = out.chain();
    Files.writeString(d.resolve("root.pem"),
        IssuedCertificate.pem("CERTIFICATE", chain.get(chain.size() - 1).toByteArray()));
    StringBuilder inter = new StringBuilder();
    for (int i = 0; i < chain.size() - 1; i++) {
      inter.append(IssuedCertificate.pem("CERTIFICATE", chain.get(i).toByteArray()));
    }
    Files.writeString(d.resolve("chain.pem"), inter.toString());
    Process p = new ProcessBuilder("openssl", "verify", "-CAfile", "root.pem", "-untrusted",
        "chain.pem", "-purpose", "smimesign", "ee.pem").directory(d.toFile())
        .redirectErrorStream(true).start();
    String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    assertThat(o).contains("ee.pem: OK");
  }
}
