package org.keyhaven.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.CaSigner;

/**
 * zlint 3.6 (Debian trixie's package, fetched by tools/fetch-zlint.sh) over every profile, every
 * CA certificate and a CRL signed through {@link CaSigner}: no warning or error among the RFC 5280
 * lints; with the CA/B Forum S/MIME strict policy OID, none among the CABF S/MIME lints either.
 */
class ZlintTest {
  @TempDir static Path dir;
  static String zlint;
  static final ObjectMapper JSON = new ObjectMapper();
  /**
   * zcrypto (Go encoding/asn1) cannot parse the default 128-bit 2.25 UUID arc ("base 128 integer
   * too large"), so the lint run configures a short arc (2.999 is the ITU-T example arc).
   */
  static final String ARC = "2.999.7";

  @BeforeAll
  static void findZlint() throws Exception {
    zlint = locate();
    // Fetched whenever it is missing, not only under CI: a skipped class reports "0 tests" and
    // would pass the test command unnoticed. Without CI, a failed fetch (offline) still skips.
    if (zlint == null) {
      Process p = new ProcessBuilder("bash", "tools/fetch-zlint.sh", "target/zlint")
          .redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      p.waitFor(300, TimeUnit.SECONDS);
      zlint = p.exitValue() == 0 ? out.lines().reduce((a, b) -> b).orElse(null) : null;
      if (zlint == null && "true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("zlint missing under CI and fetch failed: " + out);
      }
    }
    assumeTrue(zlint != null, "zlint not available (run ca/tools/fetch-zlint.sh target/zlint)");
  }

  static String locate() {
    for (String c : new String[] {System.getenv("ZLINT"), "target/zlint/x/usr/bin/zlint",
        "/usr/bin/zlint", "/usr/local/bin/zlint"}) {
      if (c != null && Files.isExecutable(Path.of(c))) {
        return c;
      }
    }
    return null;
  }

  /** Lint name → result, for the given sources. */
  static Map<String, String> lint(byte[] der, String name, String sources) throws Exception {
    // zlint recognises CRLs by their PEM label only.
    boolean crl = name.startsWith("crl");
    Path f = dir.resolve(name + (crl ? ".pem" : ".der"));
    if (crl) {
      Files.writeString(f, IssuedCertificate.pem("X509 CRL", der));
    } else {
      Files.write(f, der);
    }
    Process p = new ProcessBuilder(zlint, "-format", crl ? "pem" : "der", "-includeSources",
        sources,
        f.toString()).redirectError(dir.resolve(name + ".err").toFile()).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(60, TimeUnit.SECONDS);
    JsonNode root = JSON.readTree(out);
    Map<String, String> results = new java.util.TreeMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      var e = it.next();
      results.put(e.getKey(), e.getValue().get("result").asText());
    }
    assertThat(results).as("zlint output for " + name + ": " + out
        + Files.readString(dir.resolve(name + ".err"))).isNotEmpty();
    return results;
  }

  static List<String> problems(Map<String, String> results) {
    List<String> bad = new ArrayList<>();
    results.forEach((k, v) -> {
      if (v.equals("warn") || v.equals("error") || v.equals("fatal")) {
        bad.add(k + "=" + v);
      }
    });
    return bad;
  }

  static byte[] issue(CaFixture f, String ca, Csrs.Builder csr, String profile) {
    var out = (IssuanceOutcome.Issued) f.ca.issue("ra", CaId.of(ca), csr.pem(), profile, null);
    return out.certificate().der().toByteArray();
  }

  static Map<String, byte[]> everyProfile(CaFixture f, String ca, String subject) {
    Map<String, byte[]> certs = new java.util.LinkedHashMap<>();
    String[][] cases = {{"smime-sign-ec", "smime-sign", "p256"},
        {"smime-sign-ed25519", "smime-sign", "ed25519"},
        {"smime-encrypt-rsa", "smime-encrypt", "rsa2048"},
        {"smime-encrypt-ec", "smime-encrypt", "p384"},
        {"smime-dual-rsa", "smime-dual", "rsa3072"},
        {"smime-dual-ec", "smime-dual", "p256"}};
    int i = 0;
    for (String[] c : cases) {
      var key = switch (c[2]) {
        case "p256" -> Csrs.ec("secp256r1");
        case "p384" -> Csrs.ec("secp384r1");
        case "rsa2048" -> Csrs.rsa(2048);
        case "rsa3072" -> Csrs.rsa(3072);
        default -> Csrs.ed25519();
      };
      String mailbox = "user" + (++i) + "@example.org";
      certs.put(ca + "-" + c[0], issue(f, ca,
          Csrs.csr(key).subject(subject + "CN=" + mailbox).email(mailbox), c[1]));
    }
    return certs;
  }

  @Test
  void rfc5280Lints_passForEveryProfileCaCertificatesAndCrl() throws Exception {
    CaFixture f = new CaFixture(dir.resolve("plain"), java.time.Clock.systemUTC(), false, ARC);
    f.ca.bootstrap();
    Map<String, byte[]> all = everyProfile(f, "ca-mail", "O=Example Org,");
    all.putAll(everyProfile(f, "ca-persona", ""));
    all.put("tls-server", issue(f, "ca-mail", Csrs.csr(Csrs.ec("secp256r1"))
        .subject("O=Example Org,CN=mx1.example.org").dns("mx1.example.org"), "tls-server"));
    all.put("ocsp-responder", issue(f, "ca-mail", Csrs.csr(Csrs.ec("secp256r1"))
        .subject("O=Example Org,CN=OCSP Responder"), "ocsp-responder"));
    for (CaNode n : f.ca.cas()) {
      all.put("ca-" + n.id(), n.certificate().toByteArray());
    }
    for (var e : all.entrySet()) {
      assertThat(problems(lint(e.getValue(), e.getKey(), "RFC5280"))).as(e.getKey()).isEmpty();
    }
    byte[] crl = crl(f.ca.registry().signer(CaId.of("ca-mail")));
    Map<String, String> crlLints = lint(crl, "crl", "RFC5280");
    assertThat(crlLints).containsEntry("e_crl_has_next_update", "pass");
    assertThat(problems(crlLints)).as("CRL").isEmpty();
  }

  @Test
  void cabfSmimeLints_passWithMailboxValidatedStrictPolicy() throws Exception {
    CaFixture f = new CaFixture(dir.resolve("strict"), java.time.Clock.systemUTC(), true, ARC);
    f.ca.bootstrap();
    for (var e : everyProfile(f, "ca-persona", "").entrySet()) {
      Map<String, String> r = lint(e.getValue(), e.getKey() + "-strict", "CABF_SMIME_BR,RFC5280");
      assertThat(r.values()).as("S/MIME lints ran for " + e.getKey()).contains("pass");
      assertThat(problems(r)).as(e.getKey()).isEmpty();
    }
  }

  /** A CRL as the revocation service would sign it through the CaSigner port. */
  static byte[] crl(CaSigner signer) throws Exception {
    X509CertificateHolder ca = signer.certificate();
    Instant now = Instant.now();
    X509v2CRLBuilder b = new X509v2CRLBuilder(ca.getSubject(), Date.from(now));
    b.setNextUpdate(Date.from(now.plusSeconds(7 * 86400)));
    b.addCRLEntry(BigInteger.valueOf(0x1234567890L), Date.from(now), CRLReason.keyCompromise);
    b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.ONE));
    b.addExtension(Extension.authorityKeyIdentifier, false, new BcX509ExtensionUtils()
        .createAuthorityKeyIdentifier(ca.getSubjectPublicKeyInfo()));
    return b.build(signer.newContentSigner()).getEncoded();
  }
}
