package org.keyhaven.server.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.TestServer;

/**
 * The CA over real HTTP, judged by openssl: verify with explicit policy, S/MIME sign, encrypt and
 * sign-then-encrypt round trips, and a name-constraint violation crafted with openssl itself.
 */
class CaRoutesTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer srv;
  static String ra;
  static String admin2;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    Openssl.require();
    srv = TestServer.start();
    ra = srv.token("ca-test-ra", "ra");
    admin2 = srv.token("ca-test-admin2", "admin");
  }

  @AfterAll
  static void stop() {
    if (srv != null) {
      srv.close();
    }
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  /** Makes a key and CSR with openssl and returns the CSR PEM. */
  static String csr(Path dir, String name, String keyAlg, String subj, String san) {
    if (keyAlg.equals("rsa")) {
      Openssl.ok(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
          "-out", name + ".key");
    } else {
      Openssl.ok(dir, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:" + keyAlg,
          "-out", name + ".key");
    }
    Openssl.ok(dir, "req", "-new", "-key", name + ".key", "-subj", subj, "-addext",
        "subjectAltName=" + san, "-out", name + ".csr");
    try {
      return Files.readString(dir.resolve(name + ".csr"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpResponse<String> issue(String ca, String token, String csr, String profile)
      throws Exception {
    return srv.postJson("/api/v1/cas/" + ca + "/certificates", token,
        JSON.writeValueAsString(Map.of("csr", csr, "profile", profile)));
  }

  /** Issues, then writes name.pem, root.pem and chain.pem (intermediates) into dir. */
  static String issueTo(Path dir, String name, String ca, String profile, String csr)
      throws Exception {
    HttpResponse<String> r = issue(ca, ra, csr, profile);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode j = json(r);
    assertThat(j.get("serial").asText()).matches("[0-9a-f]+");
    Files.writeString(dir.resolve(name + ".pem"), j.get("certificate").asText());
    JsonNode chain = j.get("chain");
    StringBuilder inter = new StringBuilder();
    for (int i = 0; i < chain.size() - 1; i++) {
      inter.append(chain.get(i).asText());
    }
    Files.writeString(dir.resolve("chain.pem"), inter.toString());
    Files.writeString(dir.resolve("root.pem"), chain.get(chain.size() - 1).asText());
    return j.get("serial").asText();
  }

  @Test
  void issuedCertificates_verifyWithExplicitPolicy_andCmsRoundTrips() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("smime"));
    issueTo(d, "sign", "ca-mail", "smime-sign", csr(d, "sign", "prime256v1",
        "/O=Example Org/CN=Alice", "email:alice@example.org"));
    issueTo(d, "enc", "ca-mail", "smime-encrypt", csr(d, "enc", "rsa",
        "/O=Example Org/CN=Alice", "email:alice@example.org"));
    assertThat(Openssl.ok(d, "verify", "-CAfile", "root.pem", "-untrusted", "chain.pem",
        "-purpose", "smimesign", "-policy_check", "-explicit_policy",
        "-policy", oid("ca-mail"), "sign.pem"))
        .contains("sign.pem: OK");
    assertThat(Openssl.ok(d, "verify", "-CAfile", "root.pem", "-untrusted", "chain.pem",
        "-purpose", "smimeencrypt", "-policy_check", "-explicit_policy",
        "-policy", oid("ca-mail"), "enc.pem"))
        .contains("enc.pem: OK");
    // The signing certificate is not good for encryption and vice versa (keyUsage).
    assertThat(Openssl.run(d, "verify", "-CAfile", "root.pem", "-untrusted", "chain.pem",
        "-purpose", "smimeencrypt", "sign.pem").exit()).isNotZero();

    Files.writeString(d.resolve("msg.txt"), "Hello from Keyhaven\r\n");
    Openssl.ok(d, "cms", "-sign", "-in", "msg.txt", "-signer", "sign.pem", "-inkey", "sign.key",
        "-certfile", "chain.pem", "-out", "signed.msg");
    Openssl.ok(d, "cms", "-verify", "-CAfile", "root.pem", "-in", "signed.msg", "-out",
        "verified.txt");
    assertThat(Files.readString(d.resolve("verified.txt"))).isEqualTo("Hello from Keyhaven\r\n");

    Openssl.ok(d, "cms", "-encrypt", "-aes256", "-in", "msg.txt", "-out", "enc.msg", "enc.pem");
    Openssl.ok(d, "cms", "-decrypt", "-in", "enc.msg", "-recip", "enc.pem", "-inkey", "enc.key",
        "-out", "decrypted.txt");
    assertThat(Files.readString(d.resolve("decrypted.txt"))).isEqualTo("Hello from Keyhaven\r\n");

    // Sign, then encrypt the signed message; decrypt, then verify.
    Openssl.ok(d, "cms", "-encrypt", "-aes256", "-in", "signed.msg", "-out", "both.msg",
        "enc.pem");
    Openssl.ok(d, "cms", "-decrypt", "-in", "both.msg", "-recip", "enc.pem", "-inkey", "enc.key",
        "-out", "inner.msg");
    Openssl.ok(d, "cms", "-verify", "-CAfile", "root.pem", "-in", "inner.msg", "-out",
        "both.txt");
    assertThat(Files.readString(d.resolve("both.txt"))).isEqualTo("Hello from Keyhaven\r\n");
  }

  @Test
  void nameConstraintInCaCertificate_rejectsCertificateCraftedOutsideIt() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("nc"));
    issueTo(d, "good", "ca-mail", "smime-sign", csr(d, "good", "prime256v1",
        "/O=Example Org/CN=Good", "email:good@example.org"));
    // Take ca-mail's key out of the database: encrypted PKCS#8 under the master key, which
    // openssl itself can decrypt.
    byte[] blob;
    try (Connection c = srv.server.wiring().dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT key_blob FROM ca WHERE id = 'ca-mail'")) {
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        blob = rs.getBytes(1);
      }
    }
    Files.write(d.resolve("ca-mail.p8"), blob);
    Openssl.ok(d, "pkcs8", "-inform", "DER", "-in", "ca-mail.p8", "-passin",
        "file:" + srv.dataDir.resolve("master-key"), "-out", "ca-mail.key");
    HttpResponse<String> caPem = srv.get("/ca/ca-mail.pem", null);
    Files.writeString(d.resolve("ca-mail.pem"), caPem.body());
    String oid = oid("ca-mail");
    Files.writeString(d.resolve("ext.cnf"), "keyUsage=critical,digitalSignature\n"
        + "extendedKeyUsage=emailProtection\n"
        + "certificatePolicies=" + oid + "\n"
        + "subjectAltName=email:eve@evil.example\n");
    csr(d, "evil", "prime256v1", "/O=Example Org/CN=Eve", "email:eve@evil.example");
    Openssl.ok(d, "x509", "-req", "-in", "evil.csr", "-CA", "ca-mail.pem", "-CAkey",
        "ca-mail.key", "-set_serial", "0x7e57", "-days", "30", "-extfile", "ext.cnf",
        "-out", "evil.pem");
    Openssl.Result bad = Openssl.run(d, "verify", "-CAfile", "root.pem", "-untrusted",
        "chain.pem", "-purpose", "smimesign", "-policy_check", "-explicit_policy",
        "-policy", oid("ca-mail"), "evil.pem");
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.output()).contains("permitted subtree violation");
    assertThat(Openssl.ok(d, "verify", "-CAfile", "root.pem", "-untrusted", "chain.pem",
        "-purpose", "smimesign", "good.pem")).contains("good.pem: OK");
  }

  @Test
  void tlsServerCertificate_verifiesForSslServer() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("tls"));
    issueTo(d, "mx", "ca-mail", "tls-server", csr(d, "mx", "prime256v1",
        "/O=Example Org/CN=mx1.example.org", "DNS:mx1.example.org"));
    assertThat(Openssl.ok(d, "verify", "-CAfile", "root.pem", "-untrusted", "chain.pem",
        "-purpose", "sslserver", "-verify_hostname", "mx1.example.org", "-policy_check",
        "-explicit_policy", "-policy", oid("ca-mail"), "mx.pem")).contains("mx.pem: OK");
  }

  @Test
  void policyViolations_are403WithTheRule() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("neg"));
    HttpResponse<String> r = issue("ca-mail", ra, csr(d, "eve", "prime256v1",
        "/O=Example Org/CN=Eve", "email:eve@evil.example"), "smime-sign");
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
    assertThat(json(r).get("detail").asText()).startsWith(
        "rule standard/name-subordination: email address eve@evil.example is outside");
    HttpResponse<String> p = issue("ca-persona", ra, csr(d, "nym", "prime256v1",
        "/O=Example Org/CN=Nym", "email:nym@example.org"), "smime-sign");
    assertThat(p.statusCode()).isEqualTo(403);
    assertThat(json(p).get("detail").asText()).startsWith("rule persona/pseudonymous-subject:");
    HttpResponse<String> k = issue("ca-high", ra, csr(d, "weak", "prime256v1",
        "/O=Example Org/CN=Weak", "email:weak@example.org"), "smime-sign");
    assertThat(k.statusCode()).isEqualTo(403);
    assertThat(json(k).get("detail").asText()).startsWith("rule high-assurance/key-strength:");
    HttpResponse<String> garbage = srv.postJson("/api/v1/cas/ca-mail/certificates", ra,
        "{\"csr\":\"nope\",\"profile\":\"smime-sign\"}");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(issue("no-such-ca", ra, "x", "smime-sign").statusCode()).isEqualTo(404);
    assertThat(srv.postJson("/api/v1/cas/ca-mail/certificates", null, "{}").statusCode())
        .isEqualTo(401);
  }

  @Test
  void highAssurance_needsASecondAdmin() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("ha"));
    HttpResponse<String> r = issue("ca-high", srv.adminToken, csr(d, "hq", "secp384r1",
        "/O=Example Org/CN=HQ", "email:hq@example.org"), "smime-sign");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    long id = json(r).get("approval").asLong();
    HttpResponse<String> list = srv.get("/api/v1/approvals?status=pending", srv.adminToken);
    assertThat(list.body()).contains("\"id\":" + id);
    HttpResponse<String> self = srv.postJson("/api/v1/approvals/" + id + "/approve",
        srv.adminToken, null);
    assertThat(self.statusCode()).isEqualTo(403);
    assertThat(json(self).get("detail").asText()).startsWith("rule high-assurance/two-person:");
    assertThat(srv.postJson("/api/v1/approvals/" + id + "/approve", ra, null).statusCode())
        .isEqualTo(403);
    HttpResponse<String> ok = srv.postJson("/api/v1/approvals/" + id + "/approve", admin2, null);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    Files.writeString(d.resolve("hq.pem"), json(ok).get("certificate").asText());
    JsonNode chain = json(ok).get("chain");
    Files.writeString(d.resolve("root.pem"), chain.get(2).asText());
    Files.writeString(d.resolve("chain.pem"), chain.get(0).asText() + chain.get(1).asText());
    assertThat(Openssl.ok(d, "verify", "-CAfile", "root.pem", "-untrusted", "chain.pem",
        "-purpose", "smimesign", "-policy_check", "-explicit_policy",
        "-policy", oid("ca-high"), "hq.pem"))
        .contains("hq.pem: OK");
    assertThat(srv.postJson("/api/v1/approvals/" + id + "/approve", admin2, null).statusCode())
        .isEqualTo(409);
  }

  @Test
  void lookups_andPublicCaCertificates() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("lookup"));
    String serial = issueTo(d, "look", "ca-mail", "smime-sign", csr(d, "look", "prime256v1",
        "/O=Example Org/CN=Look Up", "email:look@example.org"));
    JsonNode page = json(srv.get("/api/v1/certificates?email=look@example.org", ra));
    assertThat(page.get("items").get(0).get("serial").asText()).isEqualTo(serial);
    assertThat(json(srv.get("/api/v1/certificates/" + serial, ra)).get("status").asText())
        .isEqualTo("good");
    assertThat(srv.get("/api/v1/certificates/" + serial + ".pem", ra).body())
        .startsWith("-----BEGIN CERTIFICATE-----");
    HttpResponse<byte[]> der = getBytes("/api/v1/certificates/" + serial + ".der", ra);
    Files.write(d.resolve("look.der"), der.body());
    String shown = Openssl.ok(d, "x509", "-inform", "DER", "-in", "look.der", "-noout",
        "-serial").strip();
    // openssl pads to whole octets; the API form has no leading zeros.
    assertThat(new java.math.BigInteger(shown.substring("serial=".length()), 16))
        .isEqualTo(new java.math.BigInteger(serial, 16));
    assertThat(srv.get("/api/v1/certificates/00ff", ra).statusCode()).isEqualTo(404);
    assertThat(srv.get("/api/v1/certificates?status=weird", ra).statusCode()).isEqualTo(400);

    JsonNode cas = json(srv.get("/api/v1/cas", ra)).get("cas");
    assertThat(cas.size()).isGreaterThanOrEqualTo(7);
    HttpResponse<byte[]> crt = getBytes("/ca/ca-mail.crt", null);
    assertThat(crt.statusCode()).isEqualTo(200);
    assertThat(crt.headers().firstValue("Content-Type").orElse("")).isEqualTo(
        "application/pkix-cert");
    Files.write(d.resolve("ca.der"), crt.body());
    assertThat(Openssl.ok(d, "x509", "-inform", "DER", "-in", "ca.der", "-noout", "-subject"))
        .contains("Mail Issuing CA");
    HttpResponse<byte[]> p7 = getBytes("/ca/ca-mail/chain.p7c", null);
    assertThat(p7.headers().firstValue("Content-Type").orElse(""))
        .isEqualTo("application/pkcs7-mime; smime-type=certs-only");
    Files.write(d.resolve("chain.p7c"), p7.body());
    String certs = Openssl.ok(d, "pkcs7", "-inform", "DER", "-in", "chain.p7c", "-print_certs",
        "-noout");
    assertThat(certs.split("subject=", -1)).hasSize(4);
    assertThat(srv.get("/ca/nope.crt", null).statusCode()).isEqualTo(404);
    String audit = srv.get("/api/v1/audit?limit=1000", srv.adminToken).body();
    assertThat(audit).contains("cert.issue").contains("ca-mail/" + serial);
  }

  @Test
  void createCa_underPolicyCa_andIssue() throws Exception {
    HttpResponse<String> r = srv.postJson("/api/v1/cas", srv.adminToken,
        "{\"id\":\"ca-hubs\",\"parent\":\"pca-standard\",\"keyAlgorithm\":\"rsa-2048\","
            + "\"commonName\":\"Mail Hub CA\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    assertThat(json(r).get("policy").asText()).isEqualTo("standard");
    assertThat(srv.postJson("/api/v1/cas", ra, "{\"id\":\"x\",\"parent\":\"root\"}")
        .statusCode()).isEqualTo(403);
    HttpResponse<String> dup = srv.postJson("/api/v1/cas", srv.adminToken,
        "{\"id\":\"ca-hubs\",\"parent\":\"pca-standard\",\"commonName\":\"Again\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    Path d = Files.createDirectories(tmp.resolve("hubs"));
    issueTo(d, "hub", "ca-hubs", "tls-server", csr(d, "hub", "prime256v1",
        "/O=Example Org/CN=mx2.example.org", "DNS:mx2.example.org"));
    assertThat(Openssl.ok(d, "verify", "-CAfile", "root.pem", "-untrusted", "chain.pem",
        "-purpose", "sslserver", "-policy_check", "-explicit_policy",
        "-policy", oid("ca-hubs"), "hub.pem"))
        .contains("hub.pem: OK");
  }

  @Test
  void serverSideKeyGeneration_returnsPkcs12_butNotUnderHighAssurance() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("keygen"));
    String body = "{\"profile\":\"smime-sign\",\"subject\":\"O=Example Org,CN=Gen\","
        + "\"emails\":[\"gen@example.org\"],\"keyGeneration\":{\"algorithm\":\"rsa-2048\","
        + "\"passphrase\":\"correct horse battery\"}}";
    HttpResponse<String> r = srv.postJson("/api/v1/cas/ca-mail/certificates", ra, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    Files.write(d.resolve("gen.p12"),
        java.util.Base64.getDecoder().decode(json(r).get("pkcs12").asText()));
    Files.writeString(d.resolve("pass"), "correct horse battery\n");
    String dump = Openssl.ok(d, "pkcs12", "-in", "gen.p12", "-passin", "file:pass", "-nodes");
    assertThat(dump).contains("BEGIN PRIVATE KEY").contains("CN = Gen");
    assertThat(Openssl.run(d, "pkcs12", "-in", "gen.p12", "-passin", "pass:wrong-one",
        "-nodes").exit()).isNotZero();
    HttpResponse<String> ha = srv.postJson("/api/v1/cas/ca-high/certificates", ra,
        body.replace("rsa-2048", "rsa-3072"));
    assertThat(ha.statusCode()).isEqualTo(403);
    assertThat(json(ha).get("detail").asText())
        .startsWith("rule high-assurance/holder-generated-keys:");
    assertThat(r.body()).doesNotContain("correct horse");
  }

  /**
   * The CA's policy OID. openssl needs it as the user-initial-policy-set: with -explicit_policy
   * and no -policy, its user policy set is empty and every path fails "no explicit policy".
   */
  static String oid(String ca) throws Exception {
    return json(srv.get("/api/v1/cas/" + ca, ra)).get("policyOid").asText();
  }

  static HttpResponse<byte[]> getBytes(String path, String token) throws Exception {
    var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(srv.base + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return java.net.http.HttpClient.newHttpClient().send(b.build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }
}
