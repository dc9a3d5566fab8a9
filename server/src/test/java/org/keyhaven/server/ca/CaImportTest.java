package org.keyhaven.server.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.TestServer;

/**
 * Importing CAs and cross-certification over real HTTP, with external CAs made by {@code openssl
 * req -x509} and every resulting path judged by {@code openssl verify}.
 */
class CaImportTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String PASS = "Tr0ub4dor&3-import-pass";
  static TestServer srv;
  static PrintStream originalErr;
  static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  @TempDir static Path tmp;

  /** openssl configuration for the external CAs the tests make. */
  static final String CNF = """
      [req]
      distinguished_name = dn
      x509_extensions = root
      [dn]
      [root]
      basicConstraints = critical,CA:TRUE
      keyUsage = critical,keyCertSign,cRLSign
      subjectKeyIdentifier = hash
      [sub]
      basicConstraints = critical,CA:TRUE,pathlen:1
      keyUsage = critical,keyCertSign,cRLSign
      subjectKeyIdentifier = hash
      authorityKeyIdentifier = keyid
      certificatePolicies = 2.5.29.32.0
      [cross]
      basicConstraints = critical,CA:TRUE
      keyUsage = critical,keyCertSign,cRLSign
      subjectKeyIdentifier = hash
      authorityKeyIdentifier = keyid
      certificatePolicies = 2.5.29.32.0
      [leafish]
      basicConstraints = critical,CA:FALSE
      keyUsage = critical,digitalSignature
      [nokeysign]
      basicConstraints = critical,CA:TRUE
      keyUsage = critical,cRLSign
      """;

  @BeforeAll
  static void start() {
    Openssl.require();
    originalErr = System.err;
    System.setErr(new PrintStream(new java.io.OutputStream() {
      @Override
      public void write(int b) {
        originalErr.write(b);
        LOG.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        originalErr.write(b, off, len);
        LOG.write(b, off, len);
      }
    }, true, StandardCharsets.UTF_8));
    srv = TestServer.start();
  }

  @AfterAll
  static void stop() {
    System.setErr(originalErr);
    if (srv != null) {
      srv.close();
    }
  }

  /** Makes a self-signed external root with openssl: {@code name.pem}, {@code name.key}. */
  static void externalRoot(Path d, String name, String keyAlg, String subj) throws Exception {
    Files.writeString(d.resolve("ext.cnf"), CNF);
    List<String> args = new ArrayList<>(List.of("req", "-x509", "-config", "ext.cnf", "-newkey"));
    if (keyAlg.equals("rsa")) {
      args.addAll(List.of("rsa", "-pkeyopt", "rsa_keygen_bits:3072"));
    } else {
      args.addAll(List.of("ec", "-pkeyopt", "ec_paramgen_curve:" + keyAlg));
    }
    args.addAll(List.of("-nodes", "-keyout", name + ".key", "-subj", subj, "-days", "3650",
        "-out", name + ".pem"));
    Openssl.ok(d, args.toArray(String[]::new));
  }

  static String read(Path d, String file) throws Exception {
    return Files.readString(d.resolve(file));
  }

  static HttpResponse<String> importCa(TestServer s, Map<String, Object> body) throws Exception {
    return s.postJson("/api/v1/cas/import", s.adminToken, JSON.writeValueAsString(body));
  }

  static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    return JSON.readTree(r.body());
  }

  static String oid(TestServer s, String ca) throws Exception {
    return JSON.readTree(s.get("/api/v1/cas/" + ca, s.adminToken).body()).get("policyOid")
        .asText();
  }

  /**
   * Issues smime-sign from {@code ca} and writes leaf.pem and chain.pem (the chain answer without
   * its root, which must equal {@code root}).
   */
  static void issueLeaf(TestServer s, Path d, String ca, String rootFile) throws Exception {
    String csr = CaRoutesTest.csr(d, "leaf", "prime256v1", "/O=Example Org/CN=Imported Leaf",
        "email:leaf@example.org");
    JsonNode j = ok(s.postJson("/api/v1/cas/" + ca + "/certificates", s.adminToken,
        JSON.writeValueAsString(Map.of("csr", csr, "profile", "smime-sign"))), 201);
    Files.writeString(d.resolve("leaf.pem"), j.get("certificate").asText());
    JsonNode chain = j.get("chain");
    StringBuilder inter = new StringBuilder();
    for (int i = 0; i < chain.size() - 1; i++) {
      inter.append(chain.get(i).asText());
    }
    Files.writeString(d.resolve("chain.pem"), inter.toString());
    Files.writeString(d.resolve("answer-root.pem"), chain.get(chain.size() - 1).asText());
    assertThat(Openssl.ok(d, "x509", "-in", "answer-root.pem", "-noout", "-fingerprint"))
        .isEqualTo(Openssl.ok(d, "x509", "-in", rootFile, "-noout", "-fingerprint"));
  }

  /**
   * The main flow, also run on PostgreSQL: import an external EC P-384 root with an encrypted
   * PKCS#8 key, build a policy CA and an issuing CA under it, issue, and verify with openssl
   * against the external root alone.
   */
  static void importRoot_buildHierarchy_issue_verify(TestServer s, Path d, String prefix)
      throws Exception {
    externalRoot(d, "ext-root", "P-384", "/O=Old Org/CN=" + prefix + " Old Root");
    Files.writeString(d.resolve("pass"), PASS + "\n");
    Openssl.ok(d, "pkcs8", "-topk8", "-in", "ext-root.key", "-v2", "aes-256-cbc", "-passout",
        "file:pass", "-out", "ext-root-enc.key");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", prefix + "-root");
    body.put("certificate", read(d, "ext-root.pem"));
    body.put("key", read(d, "ext-root-enc.key"));
    body.put("passphrase", PASS);
    JsonNode root = ok(importCa(s, body), 201);
    assertThat(root.get("imported").asBoolean()).isTrue();
    assertThat(root.get("parent").isNull()).isTrue();
    assertThat(root.get("keyAlgorithm").asText()).isEqualTo("ec-p384");
    assertThat(root.get("subject").asText()).contains("Old Root");
    assertThat(root.get("chain").size()).isEqualTo(1);

    ok(s.postJson("/api/v1/cas", s.adminToken, JSON.writeValueAsString(Map.of("id",
        prefix + "-pca", "parent", prefix + "-root", "policy", "standard", "pathLength", 1,
        "commonName", prefix + " Imported Standard PCA"))), 201);
    ok(s.postJson("/api/v1/cas", s.adminToken, JSON.writeValueAsString(Map.of("id",
        prefix + "-issuing", "parent", prefix + "-pca", "commonName",
        prefix + " Imported Mail CA"))), 201);
    issueLeaf(s, d, prefix + "-issuing", "ext-root.pem");
    assertThat(Openssl.ok(d, "verify", "-CAfile", "ext-root.pem", "-untrusted", "chain.pem",
        "-purpose", "smimesign", "-policy_check", "-explicit_policy", "-policy",
        oid(s, prefix + "-issuing"), "leaf.pem")).contains("leaf.pem: OK");
    // The key is stored encrypted under the master secret, like generated keys: openssl opens
    // it with the master key and it is the imported key.
    byte[] blob;
    try (var c = s.server.wiring().dataSource.getConnection();
        var ps = c.prepareStatement("SELECT key_blob, origin FROM ca WHERE id = ?")) {
      ps.setString(1, prefix + "-root");
      try (var rs = ps.executeQuery()) {
        assertThat(rs.next()).isTrue();
        blob = rs.getBytes(1);
        assertThat(rs.getString(2)).isEqualTo("imported");
      }
    }
    Files.write(d.resolve("stored.p8"), blob);
    Openssl.ok(d, "pkcs8", "-inform", "DER", "-in", "stored.p8", "-passin",
        "file:" + s.dataDir.resolve("master-key"), "-out", "stored.key");
    assertThat(Openssl.ok(d, "pkey", "-in", "stored.key", "-pubout"))
        .isEqualTo(Openssl.ok(d, "pkey", "-in", "ext-root.key", "-pubout"));
  }

  @Test
  void importedRoot_issuesChainsThatOpensslVerifies() throws Exception {
    importRoot_buildHierarchy_issue_verify(srv, Files.createDirectories(tmp.resolve("root")),
        "h2");
    String audit = srv.get("/api/v1/audit?limit=1000", srv.adminToken).body();
    assertThat(audit).contains("ca.import").contains("h2-root");
    assertThat(audit).doesNotContain(PASS).doesNotContain("PRIVATE KEY");
  }

  /**
   * An RSA-3072 external root, an EC P-384 sub-CA it issued (delivered as PKCS#12 with the
   * root), imported as a standard-policy CA; our chain then runs up to the external root.
   */
  @Test
  void importedSubordinate_fromPkcs12_chainsToExternalRoot() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("sub"));
    externalRoot(d, "partner-root", "rsa", "/O=Partner/CN=Partner Root");
    Openssl.ok(d, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384",
        "-nodes", "-keyout", "sub.key", "-subj", "/O=Example Org/CN=Partner Sub CA", "-out",
        "sub.csr");
    Openssl.ok(d, "x509", "-req", "-in", "sub.csr", "-CA", "partner-root.pem", "-CAkey",
        "partner-root.key", "-set_serial", "0x51ab", "-days", "1000", "-extfile", "ext.cnf",
        "-extensions", "sub", "-out", "sub.pem");
    Files.writeString(d.resolve("pass"), PASS + "\n");
    Openssl.ok(d, "pkcs12", "-export", "-inkey", "sub.key", "-in", "sub.pem", "-certfile",
        "partner-root.pem", "-passout", "file:pass", "-out", "sub.p12");
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", "partner-sub");
    body.put("pkcs12", Base64.getEncoder().encodeToString(Files.readAllBytes(d.resolve(
        "sub.p12"))));
    body.put("passphrase", PASS);
    body.put("policy", "standard");
    JsonNode sub = ok(importCa(srv, body), 201);
    assertThat(sub.get("policy").asText()).isEqualTo("standard");
    assertThat(sub.get("pathLength").asInt()).isEqualTo(1);
    assertThat(sub.get("chain").size()).isEqualTo(2);

    ok(srv.postJson("/api/v1/cas", srv.adminToken, JSON.writeValueAsString(Map.of("id",
        "partner-mail", "parent", "partner-sub", "commonName", "Partner Mail CA"))), 201);
    issueLeaf(srv, d, "partner-mail", "partner-root.pem");
    assertThat(Openssl.ok(d, "verify", "-CAfile", "partner-root.pem", "-untrusted", "chain.pem",
        "-purpose", "smimesign", "-policy_check", "-explicit_policy", "-policy",
        oid(srv, "partner-mail"), "leaf.pem")).contains("leaf.pem: OK");
    // OCSP under the imported hierarchy: openssl checks the response up to the external root.
    Files.writeString(d.resolve("issuer.pem"), srv.get("/ca/partner-mail.pem", null).body());
    assertThat(Openssl.ok(d, "ocsp", "-issuer", "issuer.pem", "-cert", "leaf.pem", "-url",
        srv.base + "/ocsp", "-CAfile", "partner-root.pem", "-verify_other", "chain.pem"))
        .contains("Response verify OK").contains("leaf.pem: good");
    // chain.p7c of the issuing CA: issuing CA, imported sub-CA, external root.
    HttpResponse<byte[]> p7 = getBytes(srv, "/ca/partner-mail/chain.p7c", null);
    Files.write(d.resolve("chain.p7c"), p7.body());
    String certs = Openssl.ok(d, "pkcs7", "-inform", "DER", "-in", "chain.p7c",
        "-print_certs", "-noout");
    assertThat(certs).contains("Partner Mail CA").contains("Partner Sub CA")
        .contains("Partner Root");
    // A sub-CA whose external issuer limits the path: pathlen 1 leaves room for one CA below.
    HttpResponse<String> tooDeep = srv.postJson("/api/v1/cas", srv.adminToken,
        JSON.writeValueAsString(Map.of("id", "partner-deeper", "parent", "partner-mail",
            "commonName", "Too Deep")));
    assertThat(tooDeep.statusCode()).isEqualTo(403);
  }

  /**
   * (b) An external bridge root cross-certifies our default root; with only the bridge root
   * trusted, openssl builds leaf → ca-mail → pca-standard → cross → bridge root.
   */
  @Test
  void attachedCrossCertificate_isPublished_andTheCrossPathVerifies() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("cross"));
    externalRoot(d, "bridge", "P-384", "/O=Bridge Org/CN=Bridge Root");
    Files.writeString(d.resolve("root.pem"), srv.get("/ca/root.pem", null).body());
    String subj = Openssl.ok(d, "x509", "-in", "root.pem", "-noout", "-subject", "-nameopt",
        "compat").strip().substring("subject=".length());
    Openssl.ok(d, "x509", "-in", "root.pem", "-pubkey", "-noout", "-out", "root.pub");
    Openssl.ok(d, "x509", "-new", "-subj", subj, "-force_pubkey", "root.pub", "-CA",
        "bridge.pem", "-CAkey", "bridge.key", "-extfile", "ext.cnf", "-extensions", "cross",
        "-days", "365", "-out", "cross.pem");
    Map<String, Object> body = Map.of("certificate", read(d, "cross.pem"), "chain",
        read(d, "bridge.pem"));
    HttpResponse<String> r = srv.postJson("/api/v1/cas/root/cross-certificates/import",
        srv.adminToken, JSON.writeValueAsString(body));
    JsonNode ca = ok(r, 201);
    assertThat(ca.get("crossCertificates").size()).isEqualTo(1);
    JsonNode listed = null;
    for (JsonNode n : JSON.readTree(srv.get("/api/v1/cas", srv.adminToken).body()).get("cas")) {
      if (n.get("id").asText().equals("root")) {
        listed = n;
      }
    }
    assertThat(listed.get("crossCertificates").get(0).get("issuer").asText())
        .contains("Bridge Root");
    assertThat(srv.postJson("/api/v1/cas/root/cross-certificates/import", srv.adminToken,
        JSON.writeValueAsString(body)).statusCode()).isEqualTo(409);

    HttpResponse<byte[]> p7 = getBytes(srv, "/ca/root/cross.p7c", null);
    assertThat(p7.statusCode()).isEqualTo(200);
    assertThat(p7.headers().firstValue("Content-Type").orElse(""))
        .isEqualTo("application/pkcs7-mime; smime-type=certs-only");
    Files.write(d.resolve("cross.p7c"), p7.body());
    Openssl.ok(d, "pkcs7", "-inform", "DER", "-in", "cross.p7c", "-print_certs", "-out",
        "served-cross.pem");
    issueLeaf(srv, d, "ca-mail", "root.pem");
    assertThat(Openssl.ok(d, "verify", "-CAfile", "bridge.pem", "-untrusted",
        "served-cross.pem", "-untrusted", "chain.pem", "-purpose", "smimesign", "-policy_check",
        "-explicit_policy", "-policy", oid(srv, "ca-mail"), "leaf.pem"))
        .contains("leaf.pem: OK");
    // Without the cross-certificate the bridge root alone does not reach our hierarchy.
    assertThat(Openssl.run(d, "verify", "-CAfile", "bridge.pem", "-untrusted", "chain.pem",
        "leaf.pem").exit()).isNotZero();
    assertThat(srv.get("/ca/ca-mail/cross.p7c", null).statusCode()).isEqualTo(404);
  }

  /**
   * (a) Our pca-standard cross-certifies an external CA (from its certificate): the issued CA
   * certificate carries our policy, path length and name constraints, and a certificate the
   * external CA issues inside them verifies from our root.
   */
  @Test
  void crossCertify_externalCa_underOurPolicy() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("crossify"));
    externalRoot(d, "other", "P-384", "/O=Example Org/CN=Other Dept CA");
    Map<String, Object> body = Map.of("certificate", read(d, "other.pem"), "pathLength", 0);
    JsonNode j = ok(srv.postJson("/api/v1/cas/pca-standard/cross-certificates", srv.adminToken,
        JSON.writeValueAsString(body)), 201);
    Files.writeString(d.resolve("xcert.pem"), j.get("certificate").asText());
    String text = Openssl.ok(d, "x509", "-in", "xcert.pem", "-noout", "-text");
    assertThat(text).contains("Issuer: O = Example Org, CN = Example Org Standard Policy CA")
        .contains("Subject: O = Example Org, CN = Other Dept CA")
        .contains("CA:TRUE, pathlen:0").contains("Permitted:").contains(oid(srv, "ca-mail"));
    assertThat(json(srv.get("/api/v1/certificates/" + j.get("serial").asText(),
        srv.adminToken)).get("profile").asText()).isEqualTo("ca");
    Files.writeString(d.resolve("root.pem"), srv.get("/ca/root.pem", null).body());
    Files.writeString(d.resolve("pca.pem"), srv.get("/ca/pca-standard.pem", null).body());
    // The external CA issues a mailbox certificate with its own key.
    String oid = oid(srv, "ca-mail");
    Files.writeString(d.resolve("leaf.cnf"), "keyUsage=critical,digitalSignature\n"
        + "extendedKeyUsage=emailProtection\ncertificatePolicies=" + oid + "\n"
        + "subjectAltName=email:dept@example.org\n");
    CaRoutesTest.csr(d, "dept", "prime256v1", "/O=Example Org/CN=Dept User",
        "email:dept@example.org");
    Openssl.ok(d, "x509", "-req", "-in", "dept.csr", "-CA", "other.pem", "-CAkey", "other.key",
        "-set_serial", "0x1234", "-days", "30", "-extfile", "leaf.cnf", "-out", "dept.pem");
    Files.writeString(d.resolve("untrusted.pem"), read(d, "xcert.pem") + read(d, "pca.pem"));
    assertThat(Openssl.ok(d, "verify", "-CAfile", "root.pem", "-untrusted", "untrusted.pem",
        "-purpose", "smimesign", "-policy_check", "-explicit_policy", "-policy", oid,
        "dept.pem")).contains("dept.pem: OK");
    // Outside the name constraints the cross path fails.
    Files.writeString(d.resolve("evil.cnf"), read(d, "leaf.cnf").replace("dept@example.org",
        "eve@evil.example"));
    CaRoutesTest.csr(d, "evil", "prime256v1", "/O=Example Org/CN=Eve", "email:eve@evil.example");
    Openssl.ok(d, "x509", "-req", "-in", "evil.csr", "-CA", "other.pem", "-CAkey", "other.key",
        "-set_serial", "0x1235", "-days", "30", "-extfile", "evil.cnf", "-out", "evil.pem");
    assertThat(Openssl.run(d, "verify", "-CAfile", "root.pem", "-untrusted", "untrusted.pem",
        "-purpose", "smimesign", "evil.pem").output()).contains("permitted subtree violation");
    // Policy: an issuing CA (pathLen 0) cannot cross-certify; a CA key of ours is refused.
    assertThat(srv.postJson("/api/v1/cas/ca-mail/cross-certificates", srv.adminToken,
        JSON.writeValueAsString(Map.of("certificate", read(d, "other.pem")))).statusCode())
        .isEqualTo(403);
    assertThat(srv.postJson("/api/v1/cas/pca-standard/cross-certificates", srv.adminToken,
        JSON.writeValueAsString(Map.of("certificate", read(d, "pca.pem")))).statusCode())
        .isEqualTo(400);
    assertThat(srv.postJson("/api/v1/cas/pca-standard/cross-certificates",
        srv.token("cross-ra", "ra"), JSON.writeValueAsString(body)).statusCode()).isEqualTo(403);
  }

  static HttpResponse<byte[]> getBytes(TestServer s, String path, String token)
      throws Exception {
    var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(s.base + path)).GET();
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return java.net.http.HttpClient.newHttpClient().send(b.build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static JsonNode json(HttpResponse<String> r) throws Exception {
    return JSON.readTree(r.body());
  }

  /** Every refusal is a one-line problem+json 4xx naming what is wrong; nothing is stored. */
  @Test
  void badImports_are4xxNamingTheProblem_andLeaveNothingBehind() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("neg"));
    externalRoot(d, "a", "P-384", "/O=Neg/CN=Neg Root A");
    externalRoot(d, "b", "prime256v1", "/O=Neg/CN=Neg Root B");
    Files.writeString(d.resolve("pass"), PASS + "\n");
    Openssl.ok(d, "pkcs8", "-topk8", "-in", "a.key", "-v2", "aes-256-cbc", "-passout",
        "file:pass", "-out", "a-enc.key");
    // Not a CA: a CA:FALSE certificate with its key.
    Openssl.ok(d, "req", "-x509", "-config", "ext.cnf", "-extensions", "leafish", "-newkey",
        "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key", "-subj",
        "/CN=Not A CA", "-days", "30", "-out", "leaf.pem");
    Openssl.ok(d, "req", "-x509", "-config", "ext.cnf", "-extensions", "nokeysign", "-newkey",
        "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "nks.key", "-subj",
        "/CN=No Cert Sign", "-days", "30", "-out", "nks.pem");
    // A self-signed certificate whose signature is broken (one byte of the signature flipped).
    byte[] der = Base64.getMimeDecoder().decode(read(d, "a.pem")
        .replaceAll("-----[A-Z ]+-----", "").strip());
    der[der.length - 3] ^= 0x01;
    String broken = "-----BEGIN CERTIFICATE-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END CERTIFICATE-----\n";
    String a = read(d, "a.pem");
    String aKey = read(d, "a.key");
    Object[][] cases = {
      {"key does not match", Map.of("id", "neg-1", "certificate", a, "key", read(d, "b.key")),
          400, "key does not match the certificate's public key"},
      {"not a CA", Map.of("id", "neg-2", "certificate", read(d, "leaf.pem"), "key",
          read(d, "leaf.key")), 400, "is not a CA certificate: basicConstraints"},
      {"no keyCertSign", Map.of("id", "neg-3", "certificate", read(d, "nks.pem"), "key",
          read(d, "nks.key")), 400, "keyUsage lacks keyCertSign"},
      {"bad signature", Map.of("id", "neg-4", "certificate", broken, "key", aKey), 400,
          "signature does not verify"},
      {"name taken", Map.of("id", "ca-mail", "certificate", a, "key", aKey), 409,
          "CA 'ca-mail' already exists"},
      {"bad passphrase", Map.of("id", "neg-5", "certificate", a, "key", read(d, "a-enc.key"),
          "passphrase", "not-the-" + PASS), 400, "key passphrase is wrong"},
      {"no passphrase", Map.of("id", "neg-6", "certificate", a, "key", read(d, "a-enc.key")),
          400, "key is encrypted: a passphrase is needed"},
      {"malformed certificate PEM", Map.of("id", "neg-7", "certificate",
          "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", "key", aKey), 400,
          "certificate is not PEM X.509 certificates"},
      {"malformed key PEM", Map.of("id", "neg-8", "certificate", a, "key", "garbage"), 400,
          "key is not a PEM private key"},
      {"bad pkcs12 base64", Map.of("id", "neg-9", "pkcs12", "%%%", "passphrase", PASS), 400,
          "pkcs12 is not base64"},
      {"pkcs12 garbage", Map.of("id", "neg-10", "pkcs12", "AAAA", "passphrase", PASS), 400,
          "pkcs12 is not a readable PKCS#12"},
      {"no key", Map.of("id", "neg-11", "certificate", a), 400, "is required"},
      {"bad id", Map.of("id", "Bad Id!", "certificate", a, "key", aKey), 400, "CA id must be"},
      {"policy on a root", Map.of("id", "neg-12", "certificate", a, "key", aKey, "policy",
          "standard"), 400, "a root has no policy"},
    };
    for (Object[] c : cases) {
      @SuppressWarnings("unchecked")
      HttpResponse<String> r = importCa(srv, (Map<String, Object>) c[1]);
      assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo((int) c[2]);
      assertThat(r.headers().firstValue("Content-Type").orElse(""))
          .startsWith("application/problem+json");
      assertThat(json(r).get("detail").asText()).as((String) c[0]).contains((String) c[3])
          .doesNotContain("\n");
      assertThat(r.body()).doesNotContain(PASS).doesNotContain("PRIVATE KEY");
    }
    // Wrong PKCS#12 passphrase.
    Openssl.ok(d, "pkcs12", "-export", "-inkey", "a.key", "-in", "a.pem", "-passout",
        "file:pass", "-out", "a.p12");
    HttpResponse<String> wrong = importCa(srv, Map.of("id", "neg-14", "pkcs12",
        Base64.getEncoder().encodeToString(Files.readAllBytes(d.resolve("a.p12"))),
        "passphrase", "wrong-" + PASS));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(json(wrong).get("detail").asText()).isEqualTo("PKCS#12 passphrase is wrong");
    // A subordinate whose chain is missing names the missing issuer.
    Openssl.ok(d, "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-384",
        "-nodes", "-keyout", "s.key", "-subj", "/O=Neg/CN=Neg Sub", "-out", "s.csr");
    Openssl.ok(d, "x509", "-req", "-in", "s.csr", "-CA", "a.pem", "-CAkey", "a.key",
        "-set_serial", "0x77", "-days", "100", "-extfile", "ext.cnf", "-extensions", "sub",
        "-out", "s.pem");
    HttpResponse<String> noChain = importCa(srv, Map.of("id", "neg-15", "certificate",
        read(d, "s.pem"), "key", read(d, "s.key")));
    assertThat(noChain.statusCode()).isEqualTo(400);
    assertThat(json(noChain).get("detail").asText()).contains("chain does not contain the"
        + " issuer of O=Neg,CN=Neg Sub");
    HttpResponse<String> wrongChain = importCa(srv, Map.of("id", "neg-16", "certificate",
        read(d, "s.pem"), "key", read(d, "s.key"), "chain", read(d, "b.pem")));
    assertThat(wrongChain.statusCode()).isEqualTo(400);
    // The key of an existing CA cannot be imported twice.
    ok(importCa(srv, Map.of("id", "neg-ok", "certificate", a, "key", aKey)), 201);
    HttpResponse<String> again = importCa(srv, Map.of("id", "neg-again", "certificate", a,
        "key", aKey));
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("detail").asText()).contains("CA 'neg-ok' already has");
    // No half-written state: none of the refused ids exists.
    String cas = srv.get("/api/v1/cas", srv.adminToken).body();
    for (int i = 1; i <= 16; i++) {
      if (i == 13) {
        continue;
      }
      assertThat(cas).doesNotContain("\"neg-" + i + "\"");
    }
    assertThat(cas).doesNotContain("neg-again");
    // Only admins import.
    String ra = srv.token("import-ra", "ra");
    assertThat(srv.postJson("/api/v1/cas/import", ra, "{}").statusCode()).isEqualTo(403);
    assertThat(srv.postJson("/api/v1/cas/import", null, "{}").statusCode()).isEqualTo(401);
    String audit = srv.get("/api/v1/audit?limit=1000", srv.adminToken).body();
    assertThat(audit).contains("key does not match").doesNotContain(PASS)
        .doesNotContain("PRIVATE KEY");
  }

  /** Cross-certificates that are not for our CA, or do not verify, are refused. */
  @Test
  void badCrossCertificates_areRefused() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("badcross"));
    externalRoot(d, "x", "P-384", "/O=X/CN=X Root");
    externalRoot(d, "y", "P-384", "/O=Y/CN=Y Root");
    Files.writeString(d.resolve("root.pem"), srv.get("/ca/pca-persona.pem", null).body());
    String subj = Openssl.ok(d, "x509", "-in", "root.pem", "-noout", "-subject", "-nameopt",
        "compat").strip().substring("subject=".length());
    Openssl.ok(d, "x509", "-in", "root.pem", "-pubkey", "-noout", "-out", "root.pub");
    Openssl.ok(d, "x509", "-new", "-subj", subj, "-force_pubkey", "root.pub", "-CA", "x.pem",
        "-CAkey", "x.key", "-extfile", "ext.cnf", "-extensions", "cross", "-days", "30",
        "-out", "cross.pem");
    Openssl.ok(d, "x509", "-in", "y.pem", "-pubkey", "-noout", "-out", "y.pub");
    Openssl.ok(d, "x509", "-new", "-subj", subj, "-force_pubkey", "y.pub", "-CA", "x.pem",
        "-CAkey", "x.key", "-extfile", "ext.cnf", "-extensions", "cross", "-days", "30",
        "-out", "otherkey.pem");
    String path = "/api/v1/cas/pca-persona/cross-certificates/import";
    Object[][] cases = {
      {"wrong CA", "/api/v1/cas/ca-mail/cross-certificates/import", "cross.pem", "x.pem", 400,
          "is not the subject of CA ca-mail"},
      {"other key", path, "otherkey.pem", "x.pem", 400, "for another public key"},
      {"chain of another root", path, "cross.pem", "y.pem", 400, "chain does not contain"},
      {"unknown CA", "/api/v1/cas/nope/cross-certificates/import", "cross.pem", "x.pem", 404,
          "no CA 'nope'"},
    };
    for (Object[] c : cases) {
      HttpResponse<String> r = srv.postJson((String) c[1], srv.adminToken,
          JSON.writeValueAsString(Map.of("certificate", read(d, (String) c[2]), "chain",
              read(d, (String) c[3]))));
      assertThat(r.statusCode()).as(c[0] + ": " + r.body()).isEqualTo((int) c[4]);
      assertThat(json(r).get("detail").asText()).as((String) c[0]).contains((String) c[5]);
    }
    assertThat(srv.get("/ca/pca-persona/cross.p7c", null).statusCode()).isEqualTo(404);
    ok(srv.postJson(path, srv.adminToken, JSON.writeValueAsString(Map.of("certificate",
        read(d, "cross.pem"), "chain", read(d, "x.pem")))), 201);
  }

  /**
   * Imports with wrong and right passphrases and a damaged key, then checks every answer and the
   * server log captured since the class started for the passphrase and key material.
   */
  @Test
  void zz_keyMaterialAndPassphrase_neverReachTheLog() throws Exception {
    Path d = Files.createDirectories(tmp.resolve("log"));
    externalRoot(d, "logged", "P-384", "/O=Log/CN=Log Root");
    Files.writeString(d.resolve("pass"), PASS + "\n");
    Openssl.ok(d, "pkcs8", "-topk8", "-in", "logged.key", "-v2", "aes-256-cbc", "-passout",
        "file:pass", "-out", "logged-enc.key");
    String key = read(d, "logged.key");
    String enc = read(d, "logged-enc.key");
    List<String> answers = new ArrayList<>();
    answers.add(importCa(srv, Map.of("id", "log-1", "certificate", read(d, "logged.pem"),
        "key", enc, "passphrase", "wrong-" + PASS)).body());
    answers.add(importCa(srv, Map.of("id", "log-2", "certificate", read(d, "logged.pem"),
        "key", key.replace("A", "B"))).body());
    answers.add(importCa(srv, Map.of("id", "log-3", "certificate", read(d, "logged.pem"),
        "key", enc, "passphrase", PASS)).body());
    answers.add(srv.get("/api/v1/cas/log-3", srv.adminToken).body());
    answers.add(srv.get("/api/v1/cas", srv.adminToken).body());
    answers.add(srv.get("/api/v1/audit?limit=1000", srv.adminToken).body());
    String log = LOG.toString(StandardCharsets.UTF_8);
    String keyBody = key.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    String encBody = enc.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    for (String text : concat(answers, log)) {
      assertThat(text).doesNotContain(PASS).doesNotContain("PRIVATE KEY")
          .doesNotContain(keyBody.substring(0, 40)).doesNotContain(encBody.substring(0, 40));
    }
  }

  static List<String> concat(List<String> a, String b) {
    List<String> all = new ArrayList<>(a);
    all.add(b);
    return all;
  }
}
