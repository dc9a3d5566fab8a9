package org.keyhaven.server.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.TestServer;

/**
 * Revocation against real clients on loopback: openssl ocsp (POST and GET), curl, openssl verify
 * -crl_check, openssl crl -verify on the delta, GnuTLS ocsptool, and self-service requests made by
 * openssl cms -sign.
 */
class RevocationRealClientTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path dir;
  static TestServer srv;
  static Path root;
  static Path issuer;
  static Path chain;

  @BeforeAll
  static void start() throws Exception {
    srv = TestServer.start();
    root = dir.resolve("root.pem");
    issuer = dir.resolve("ca-mail.pem");
    Files.writeString(root, srv.get("/ca/root.pem", null).body());
    Files.writeString(issuer, srv.get("/ca/ca-mail.pem", null).body());
    chain = dir.resolve("chain.pem");
    Files.writeString(chain, Files.readString(root) + srv.get("/ca/pca-standard.pem", null)
        .body() + Files.readString(issuer));
  }

  @AfterAll
  static void stop() {
    srv.close();
  }

  /** A fresh key, certificate and serial issued by ca-mail through the API. */
  record Cert(Path key, Path pem, String serial) {}

  static Cert issue(String name) throws Exception {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj",
        "/O=Example Org/CN=" + name, "-addext", "subjectAltName=email:" + name + "@example.org");
    String body = JSON.writeValueAsString(java.util.Map.of("csr", Files.readString(csr),
        "profile", "smime-sign"));
    var r = srv.postJson("/api/v1/cas/ca-mail/certificates", srv.adminToken, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode n = JSON.readTree(r.body());
    Path pem = dir.resolve(name + ".pem");
    Files.writeString(pem, n.get("certificate").asText());
    return new Cert(key, pem, n.get("serial").asText());
  }

  static String ocspPost(Cert c) throws Exception {
    return run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", c.pem().toString(),
        "-url", srv.base + "/ocsp", "-CAfile", root.toString());
  }

  static String ocspGet(Cert c) throws Exception {
    Path req = dir.resolve(c.serial() + "-req.der");
    Path resp = dir.resolve(c.serial() + "-resp.der");
    run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", c.pem().toString(),
        "-no_nonce", "-reqout", req.toString());
    // RFC 6960 A.1: URL-encoded base64, as openssl's own GET sends it (%2F, %2B, %3D).
    String enc = URLEncoder.encode(Base64.getEncoder().encodeToString(Files.readAllBytes(req)),
        StandardCharsets.US_ASCII);
    String headers = run("curl", "-sS", "-D", "-", "-o", resp.toString(),
        srv.base + "/ocsp/" + enc);
    assertThat(headers).containsIgnoringCase("content-type: application/ocsp-response")
        .containsIgnoringCase("cache-control: max-age=").containsIgnoringCase("etag:")
        .containsIgnoringCase("last-modified:").containsIgnoringCase("expires:");
    return run("openssl", "ocsp", "-respin", resp.toString(), "-reqin", req.toString(),
        "-issuer", issuer.toString(), "-cert", c.pem().toString(), "-CAfile", root.toString());
  }

  static void revoke(Cert c, String reason) {
    var r = srv.postJson("/api/v1/certificates/" + c.serial() + "/revoke",
        srv.token("ra-" + UUID.randomUUID().toString().substring(0, 6), "ra"),
        "{\"reason\":\"" + reason + "\"}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @Test
  void opensslOcsp_postAndGet_goodThenRevokedWithReason() throws Exception {
    Cert c = issue("ocsp-alice");
    assertThat(ocspPost(c)).contains(": good").contains("Response verify OK");
    assertThat(ocspGet(c)).contains(": good").contains("Response verify OK");
    revoke(c, "keyCompromise");
    String post = ocspPost(c);
    assertThat(post).contains(": revoked").contains("Reason: keyCompromise")
        .contains("Response verify OK");
    assertThat(ocspGet(c)).contains(": revoked").contains("Reason: keyCompromise");
  }

  /**
   * The second GET of the same request is answered by FastPath (before the servlet pipeline):
   * the same bytes and headers as the first, counted in the metrics, only on the HTTP port, and
   * a revocation shows in the very next GET.
   */
  @Test
  void ocspGet_repeated_fastPathAnswersIdentically_andRevocationShowsAtOnce() throws Exception {
    Cert c = issue("ocsp-fast");
    Path req = dir.resolve("fast-req.der");
    run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", c.pem().toString(),
        "-no_nonce", "-reqout", req.toString());
    String path = "/ocsp/" + URLEncoder.encode(
        Base64.getEncoder().encodeToString(Files.readAllBytes(req)), StandardCharsets.US_ASCII);
    Path slowBody = dir.resolve("fast-1.der");
    Path fastBody = dir.resolve("fast-2.der");
    // The very first request to a CA may sign twice (it creates the CA's responder certificate,
    // which starts the cache afresh); from the second on, the answer is the pre-signed one.
    run("curl", "-sS", "-o", "/dev/null", srv.base + path);
    // A conditional request always takes the normal pipeline; one that matches nothing gets 200.
    String slow = run("curl", "-sS", "-D", "-", "-o", slowBody.toString(), "-H",
        "If-None-Match: \"no-such-tag\"", srv.base + path);
    assertThat(slow).startsWith("HTTP/1.1 200");
    double before = fastHits();
    String fast = run("curl", "-sS", "-D", "-", "-o", fastBody.toString(), srv.base + path);
    assertThat(fastHits()).as("answered by the fast path").isGreaterThan(before);
    assertThat(Files.readAllBytes(fastBody)).isEqualTo(Files.readAllBytes(slowBody));
    assertThat(headerNames(fast)).isEqualTo(headerNames(slow));
    for (String h : new String[] {"content-type", "etag", "last-modified", "expires"}) {
      assertThat(header(fast, h)).as(h).isEqualTo(header(slow, h));
    }
    assertThat(header(fast, "cache-control")).matches(
        "max-age=\\d+, public, no-transform, must-revalidate");
    // OCSP is not served on the HKP port, cached or not.
    int hkp = srv.server.hkpPort();
    String onHkp = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
        "http://127.0.0.1:" + hkp + path);
    assertThat(onHkp.strip()).isEqualTo("404");

    revoke(c, "affiliationChanged");
    Path afterBody = dir.resolve("fast-3.der");
    run("curl", "-sS", "-o", afterBody.toString(), srv.base + path);
    assertThat(run("openssl", "ocsp", "-respin", afterBody.toString(), "-reqin", req.toString(),
        "-issuer", issuer.toString(), "-cert", c.pem().toString(), "-CAfile", root.toString()))
        .contains(": revoked").contains("Reason: affiliationChanged");
  }

  /**
   * openssl's POST (with its nonce, so signed per request) is answered by FastPath; a POST it
   * does not take (chunked, no length) goes through the normal route and gets the same kind of
   * answer; a wrong type still gets the route's 415; the HKP port still serves no OCSP.
   */
  @Test
  void ocspPost_withNonce_fastPathAnswers_andWhatItDoesNotTakeGoesThePipeline() throws Exception {
    Cert c = issue("ocsp-fast-post");
    double before = fastHits("/ocsp");
    String post = ocspPost(c);
    assertThat(post).contains(": good").contains("Response verify OK")
        .doesNotContain("WARNING: no nonce");
    assertThat(fastHits("/ocsp")).as("answered by the fast path").isGreaterThan(before);

    Path req = dir.resolve("fast-post-req.der");
    Path resp = dir.resolve("fast-post-resp.der");
    run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", c.pem().toString(),
        "-reqout", req.toString());
    double beforeChunked = fastHits("/ocsp");
    String chunked = run("curl", "-sS", "-D", "-", "-o", resp.toString(), "-H",
        "Content-Type: application/ocsp-request", "-H", "Transfer-Encoding: chunked",
        "--data-binary", "@" + req, srv.base + "/ocsp");
    assertThat(chunked).startsWith("HTTP/1.1 200").containsIgnoringCase("cache-control: no-store");
    assertThat(fastHits("/ocsp")).as("chunked: normal pipeline").isEqualTo(beforeChunked);
    // openssl would make a new request (new nonce) from -cert/-issuer, so the answer is checked
    // against the sent request by text: signature verified, status good, the same nonce.
    String answer = run("openssl", "ocsp", "-respin", resp.toString(), "-CAfile",
        root.toString(), "-resp_text");
    assertThat(answer).contains("Response verify OK").contains("Cert Status: good");
    assertThat(nonce(answer)).isEqualTo(nonce(run("openssl", "ocsp", "-reqin", req.toString(),
        "-req_text"))).isNotEmpty();

    String wrongType = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
        "Content-Type: text/plain", "--data-binary", "@" + req, srv.base + "/ocsp");
    assertThat(wrongType.strip()).isEqualTo("415");
    String onHkp = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
        "Content-Type: application/ocsp-request", "--data-binary", "@" + req,
        "http://127.0.0.1:" + srv.server.hkpPort() + "/ocsp");
    assertThat(onHkp.strip()).isEqualTo("404");
  }

  /** The hex line after "OCSP Nonce:" in openssl's -req_text / -resp_text. */
  private static String nonce(String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("OCSP Nonce: *\\R\\s*([0-9A-F]+)")
        .matcher(text);
    return m.find() ? m.group(1) : "";
  }

  private static double fastHits() {
    return fastHits("/ocsp/<request>");
  }

  private static double fastHits(String route) {
    double n = 0;
    for (String line : srv.get("/metrics", null).body().split("\n")) {
      if (line.startsWith("keyhaven_fast_path_hits_total{")
          && line.contains("route=\"" + route + "\"")) {
        n += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return n;
  }

  private static java.util.List<String> headerNames(String headers) {
    return headers.lines().skip(1).filter(l -> l.contains(":"))
        .map(l -> l.substring(0, l.indexOf(':')).toLowerCase(java.util.Locale.ROOT))
        .filter(n -> !n.equals("date")).sorted().toList();
  }

  private static String header(String headers, String name) {
    return headers.lines().filter(l -> l.toLowerCase(java.util.Locale.ROOT)
        .startsWith(name + ":")).map(l -> l.substring(l.indexOf(':') + 1).strip())
        .findFirst().orElse(null);
  }

  @Test
  void ocspGet_rawSlashAndPlus_andEtag304() throws Exception {
    Cert c = issue("ocsp-raw");
    Path req = dir.resolve("raw-req.der");
    run("openssl", "ocsp", "-issuer", issuer.toString(), "-cert", c.pem().toString(),
        "-no_nonce", "-reqout", req.toString());
    String raw = Base64.getEncoder().encodeToString(Files.readAllBytes(req));
    var first = srv.get("/ocsp/" + raw.replace("=", "%3D"), null);
    assertThat(first.statusCode()).isEqualTo(200);
    String etag = first.headers().firstValue("etag").orElseThrow();
    String code = run("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H",
        "If-None-Match: " + etag, srv.base + "/ocsp/" + raw.replace("=", "%3D"));
    assertThat(code.strip()).isEqualTo("304");
    var garbage = srv.get("/ocsp/bm90LWFuLW9jc3AtcmVxdWVzdA%3D%3D", null);
    assertThat(garbage.statusCode()).isEqualTo(200);
    assertThat(garbage.body().getBytes(StandardCharsets.ISO_8859_1)).hasSize(5);
  }

  @Test
  void crl_opensslVerifyRejectsRevokedAcceptsGood_andDeltaVerifies() throws Exception {
    Cert good = issue("crl-good");
    Cert bad = issue("crl-bad");
    srv.get("/crl/ca-mail-delta.crl", null);
    revoke(bad, "superseded");
    Path crl = dir.resolve("ca-mail.crl.pem");
    Files.writeString(crl, srv.get("/crl/ca-mail.crl?pem", null).body());
    String ok = run("openssl", "verify", "-crl_check", "-CRLfile", crl.toString(), "-CAfile",
        chain.toString(), good.pem().toString());
    assertThat(ok).contains(": OK");
    String refused = runExpectingFailure("openssl", "verify", "-crl_check", "-CRLfile",
        crl.toString(), "-CAfile", chain.toString(), bad.pem().toString());
    assertThat(refused).contains("certificate revoked");
    Path delta = dir.resolve("ca-mail-delta.crl");
    run("curl", "-sS", "-o", delta.toString(), srv.base + "/crl/ca-mail-delta.crl");
    String d = run("openssl", "crl", "-inform", "DER", "-in", delta.toString(), "-CAfile",
        chain.toString(), "-noout", "-text");
    assertThat(d).contains("verify OK").contains("Delta CRL Indicator")
        .contains(bad.serial().toUpperCase()).contains("Superseded");
  }

  @Test
  void gnutlsOcsptool_agrees_andTrustsTheDelegatedResponder() throws Exception {
    assertThat(Tools.present("ocsptool")).as("gnutls-bin is installed by .ci/install-deps.sh")
        .isTrue();
    Cert c = issue("ocsp-gnutls");
    revoke(c, "cessationOfOperation");
    // GnuTLS anchors trust at the issuing CA: it rejects a critical policyConstraints, which
    // only the policy CA carries (CaCertificateTemplate), so the issuer is the trust anchor here.
    Result r = exec("ocsptool", "--ask=" + srv.base + "/ocsp", "--load-issuer",
        issuer.toString(), "--load-cert", c.pem().toString(), "--load-trust", issuer.toString());
    assertThat(r.out()).as(r.out()).contains("Response Status: Successful")
        .contains("Certificate Status: revoked").contains(c.serial())
        .contains("Verifying OCSP Response: Success");
    // And it refuses the same response when trust is anchored elsewhere.
    Result foreign = exec("ocsptool", "--ask=" + srv.base + "/ocsp", "--load-issuer",
        issuer.toString(), "--load-cert", c.pem().toString(), "--load-trust", root.toString());
    assertThat(foreign.out()).doesNotContain("Verifying OCSP Response: Success");
  }

  static Path statement(Cert c, String nonce, Instant time) throws IOException {
    Path st = dir.resolve("stmt-" + nonce + ".txt");
    Files.writeString(st, "keyhaven-revocation-request: 1\nserial: " + c.serial()
        + "\nreason: keyCompromise\nnonce: " + nonce + "\ntime: " + time + "\n");
    return st;
  }

  static byte[] sign(Path statement, Cert signer) throws Exception {
    Path out = dir.resolve(statement.getFileName() + "-" + signer.serial() + ".der");
    run("openssl", "cms", "-sign", "-binary", "-nodetach", "-outform", "DER", "-in",
        statement.toString(), "-signer", signer.pem().toString(), "-inkey",
        signer.key().toString(), "-out", out.toString());
    return Files.readAllBytes(out);
  }

  static java.net.http.HttpResponse<String> selfService(byte[] cms) {
    return srv.send("POST", "/api/v1/revocation-requests", null, "application/pkcs7-mime", cms);
  }

  @Test
  void selfService_opensslCmsSign_revokes_andNegativeCasesFail() throws Exception {
    Cert c = issue("scram");
    Cert other = issue("scram-other");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // Signed by a different certificate's key: refused.
    var foreign = selfService(sign(statement(c, "nonce-foreign-0001", now), other));
    assertThat(foreign.statusCode()).as(foreign.body()).isEqualTo(403);
    // Stale statement: refused.
    var stale = selfService(sign(statement(c, "nonce-stale-00001",
        now.minus(1, ChronoUnit.HOURS)), c));
    assertThat(stale.statusCode()).as(stale.body()).isEqualTo(403);
    // Garbage: 400.
    assertThat(selfService("hello".getBytes(StandardCharsets.UTF_8)).statusCode()).isEqualTo(400);
    assertThat(ocspPost(c)).contains(": good");

    byte[] good = sign(statement(c, "nonce-good-000001", now), c);
    var ok = selfService(good);
    assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
    assertThat(ok.body()).contains("\"status\":\"revoked\"").contains("keyCompromise");
    assertThat(ocspPost(c)).contains(": revoked").contains("Reason: keyCompromise");
    // Replay of the same request: refused.
    var replay = selfService(good);
    assertThat(replay.statusCode()).as(replay.body()).isIn(409);
  }

  @Test
  void revoke_caCertificate_isAdminOnly() throws Exception {
    var list = srv.get("/api/v1/certificates?ca=pca-standard", srv.adminToken);
    JsonNode items = JSON.readTree(list.body()).path("items");
    String serial = null;
    for (JsonNode n : items.isMissingNode() ? JSON.readTree(list.body()).path("certificates")
        : items) {
      if ("ca".equals(n.path("profile").asText())) {
        serial = n.get("serial").asText();
      }
    }
    assertThat(serial).as(list.body()).isNotNull();
    var r = srv.postJson("/api/v1/certificates/" + serial + "/revoke", srv.token("ra-ca", "ra"),
        "{\"reason\":\"cACompromise\"}");
    assertThat(r.statusCode()).isEqualTo(403);
  }

  static String run(String... cmd) throws Exception {
    Result r = exec(cmd);
    assertThat(r.code).as(String.join(" ", cmd) + "\n" + r.out).isZero();
    return r.out;
  }

  static String runExpectingFailure(String... cmd) throws Exception {
    Result r = exec(cmd);
    assertThat(r.code).as(r.out).isNotZero();
    return r.out;
  }

  record Result(int code, String out) {}

  static Result exec(String... cmd) throws Exception {
    List<String> c = new ArrayList<>(List.of(cmd));
    ProcessBuilder pb = new ProcessBuilder(c).redirectErrorStream(true).directory(dir.toFile());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Result(p.waitFor(), out);
  }

  /** Tool presence: missing tools fail under CI=true and skip the check locally. */
  static final class Tools {
    static boolean present(String tool) {
      boolean found = java.util.Arrays.stream(System.getenv("PATH").split(":"))
          .anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
      if (!found && "true".equals(System.getenv("CI"))) {
        throw new AssertionError(tool + " is missing (see .ci/deps/revocation.txt)");
      }
      return found;
    }
  }
}
