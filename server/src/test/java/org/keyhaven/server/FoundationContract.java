package org.keyhaven.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The foundation's behaviour over HTTP, run against every database back end (H2 and PostgreSQL)
 * by its subclasses: health, tokens, audit chain and tamper detection, REST error conventions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class FoundationContract {
  static final ObjectMapper JSON = new ObjectMapper();
  final TestServer srv;
  final String dbUrl;

  FoundationContract(String dbUrl) {
    this.dbUrl = dbUrl;
    this.srv = TestServer.start(dbUrl, 0, 0);
  }

  @AfterAll
  void stop() {
    srv.close();
  }

  static Connection connect(String url) throws java.sql.SQLException {
    return url.startsWith("jdbc:h2:") ? DriverManager.getConnection(url, "sa", "")
        : DriverManager.getConnection(url);
  }

  JsonNode json(String s) throws Exception {
    return JSON.readTree(s);
  }

  @Test
  void health_isUpWithDatabaseChecked() throws Exception {
    var r = srv.get("/health", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r.body()).get("status").asText()).isEqualTo("UP");
    assertThat(json(r.body()).get("database").asText()).isEqualTo("UP");
  }

  @Test
  void firstStart_writesAdminTokenFileWithMode0600AndStoresOnlyItsHash() throws Exception {
    var file = srv.dataDir.resolve("admin-token");
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    try (Connection c = connect(dbUrl);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT token_hash FROM api_token WHERE name = 'bootstrap-admin'")) {
      assertThat(rs.next()).isTrue();
      String stored = rs.getString(1);
      assertThat(stored).hasSize(64).isNotEqualTo(srv.adminToken).doesNotContain(srv.adminToken);
    }
  }

  @Test
  void tokens_createListRevoke_andRevokedTokenIsRefused() throws Exception {
    String ra = srv.token("ra-" + System.nanoTime(), "ra");
    var list = srv.get("/api/v1/tokens", srv.adminToken);
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(list.body()).doesNotContain(ra).doesNotContain("token_hash");

    String name = "temp-" + System.nanoTime();
    String temp = srv.token(name, "auditor");
    assertThat(srv.get("/api/v1/audit", temp).statusCode()).isEqualTo(200);
    assertThat(srv.send("DELETE", "/api/v1/tokens/" + name, srv.adminToken, null, null).statusCode())
        .isEqualTo(204);
    assertThat(srv.get("/api/v1/audit", temp).statusCode()).isEqualTo(401);
    assertThat(srv.send("DELETE", "/api/v1/tokens/" + name, srv.adminToken, null, null).statusCode())
        .isEqualTo(409);
    assertThat(srv.send("DELETE", "/api/v1/tokens/nobody", srv.adminToken, null, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void tokens_duplicateNameIsConflict_badRoleIsBadRequest() {
    String name = "dup-" + System.nanoTime();
    srv.token(name, "ra");
    var dup = srv.postJson("/api/v1/tokens", srv.adminToken, "{\"name\":\"" + name + "\",\"role\":\"ra\"}");
    assertThat(dup.statusCode()).isEqualTo(409);
    var bad = srv.postJson("/api/v1/tokens", srv.adminToken, "{\"name\":\"x1\",\"role\":\"root\"}");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
  }

  @Test
  void rest_malformedJsonIs400ProblemWithOneLineDetail() throws Exception {
    var r = srv.postJson("/api/v1/tokens", srv.adminToken, "{not json");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
    JsonNode p = json(r.body());
    assertThat(p.get("status").asInt()).isEqualTo(400);
    assertThat(p.get("detail").asText()).doesNotContain("\n").doesNotContain("Exception");
  }

  @Test
  void rest_oversizedBodyIs413() {
    byte[] big = new byte[(int) ServerConfig.DEFAULT_MAX_BODY_BYTES + 1024];
    java.util.Arrays.fill(big, (byte) 'a');
    var r = srv.send("POST", "/api/v1/tokens", srv.adminToken, "application/json", big);
    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void oversizedBody_sentInFull_getsThe413_notAReset() throws Exception {
    // A client that writes its whole body before reading (dirmngr, Java's HttpClient) must still
    // read the 413: the server discards the rest of the body before it closes, since a close
    // over unread data is a reset, which can destroy the answer on its way to the client.
    int port = java.net.URI.create(srv.base).getPort();
    var answers = org.keyhaven.server.http.WholeBodyUploads.post(port, "/pks/add",
        "application/pgp-keys", (int) ServerConfig.DEFAULT_MAX_BODY_BYTES * 2, 20);
    assertThat(answers).allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 413")
        .contains("larger than the server's request limit"));
  }

  @Test
  void oversizedBody_declaredOrChunked_is413_beforeTheBodyIsRead() throws Exception {
    // Declared length over the limit: refused from the request head, problem details under /api/.
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", java.net.URI.create(srv.base).getPort())) {
      s.getOutputStream().write(("POST /api/v1/tokens HTTP/1.1\r\nHost: x\r\n"
          + "Content-Type: application/json\r\nContent-Length: 999999999\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      String head = new String(s.getInputStream().readNBytes(200),
          java.nio.charset.StandardCharsets.US_ASCII);
      assertThat(head).startsWith("HTTP/1.1 413").contains("application/problem+json");
    }
    // No declared length (chunked): counted while read, 413 at the limit.
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'a');
    int chunks = (int) (ServerConfig.DEFAULT_MAX_BODY_BYTES / chunk.length) + 4;
    java.util.function.Supplier<java.io.InputStream> body = () -> new java.io.SequenceInputStream(
        java.util.Collections.enumeration(java.util.Collections.nCopies(chunks, chunk).stream()
            .map(b -> (java.io.InputStream) new java.io.ByteArrayInputStream(b)).toList()));
    java.net.http.HttpResponse<String> r;
    try {
      r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
              java.net.URI.create(srv.base + "/pks/add"))
          .header("Content-Type", "application/pgp-keys")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(body)).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      // The server answered and closed while the client was still sending: refused as well.
      assertThat(srv.get("/health", null).statusCode()).isEqualTo(200);
      return;
    }
    assertThat(r.statusCode()).isEqualTo(413);
  }

  @Test
  void rest_unknownRouteIs404Problem() throws Exception {
    var r = srv.get("/api/v1/no-such-thing", null);
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(json(r.body()).get("detail").asText()).contains("/api/v1/no-such-thing");
  }

  @Test
  void openApi_describesTheRoutesWithTheirRoles() throws Exception {
    var r = srv.get("/api/v1/openapi.json", null);
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode doc = json(r.body());
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    assertThat(doc.at("/paths/~1api~1v1~1tokens/post/security/0/bearer/0").asText()).isEqualTo("admin");
    assertThat(doc.at("/paths/~1health/get/security").size()).isZero();
  }

  @Test
  void metrics_countRequestsPerRouteTemplate() {
    srv.send("DELETE", "/api/v1/tokens/metrics-probe", srv.adminToken, null, null);
    var r = srv.get("/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("http_server_requests_seconds_count{method=\"DELETE\",route=\"/api/v1/tokens/{name}\",status=\"404\"}");
  }

  @Test
  void hkpPort_servesOnlyKeyserverPaths() {
    var r = srv.send("GET", "/health", null, null, null);
    assertThat(r.statusCode()).isEqualTo(200);
    java.net.http.HttpClient c = java.net.http.HttpClient.newHttpClient();
    try {
      var onHkp = c.send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + srv.server.hkpPort() + "/api/v1/tokens")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(onHkp.statusCode()).isEqualTo(404);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void audit_recordsAdminActionsAndAuthFailures() throws Exception {
    String name = "audited-" + System.nanoTime();
    srv.token(name, "ra");
    srv.get("/api/v1/tokens", "kh_wrong");
    var r = srv.get("/api/v1/audit?limit=1000", srv.adminToken);
    String body = r.body();
    assertThat(body).contains("\"action\":\"token.create\"").contains("\"target\":\"" + name + "\"");
    assertThat(body).contains("\"action\":\"auth.login\"").contains("\"outcome\":\"failure\"");
  }

  @Test
  void audit_tamperingWithARowIsDetected() throws Exception {
    // A private server so that tampering cannot disturb the other tests.
    String url = dbUrl.startsWith("jdbc:h2:")
        ? org.keyhaven.testkit.TestDatabases.h2Url("tamper" + System.nanoTime())
        : org.keyhaven.testkit.TestDatabases.newPostgresDatabaseUrl();
    try (TestServer s = TestServer.start(url, -1, -1)) {
      for (int i = 0; i < 5; i++) {
        s.token("t" + i, "ra");
      }
      var ok = json(s.get("/api/v1/audit/verify", s.adminToken).body());
      assertThat(ok.get("intact").asBoolean()).isTrue();
      long entries = ok.get("entries").asLong();
      assertThat(entries).isGreaterThanOrEqualTo(6);
      try (Connection c = connect(url); Statement st = c.createStatement()) {
        st.executeUpdate("UPDATE audit_log SET target = 'someone-else' WHERE seq = 3");
      }
      var broken = json(s.get("/api/v1/audit/verify", s.adminToken).body());
      assertThat(broken.get("intact").asBoolean()).isFalse();
      assertThat(broken.get("firstBrokenSeq").asLong()).isEqualTo(3);
      assertThat(broken.get("problem").asText()).contains("altered");
    }
  }

  @Test
  void audit_deletingARowOrTheNewestRowIsDetected() throws Exception {
    String url = dbUrl.startsWith("jdbc:h2:")
        ? org.keyhaven.testkit.TestDatabases.h2Url("tamper" + System.nanoTime())
        : org.keyhaven.testkit.TestDatabases.newPostgresDatabaseUrl();
    try (TestServer s = TestServer.start(url, -1, -1)) {
      for (int i = 0; i < 4; i++) {
        s.token("t" + i, "ra");
      }
      long last;
      try (Connection c = connect(url); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT MAX(seq) FROM audit_log")) {
        rs.next();
        last = rs.getLong(1);
        st.executeUpdate("DELETE FROM audit_log WHERE seq = " + last);
      }
      var tail = json(s.get("/api/v1/audit/verify", s.adminToken).body());
      assertThat(tail.get("intact").asBoolean()).isFalse();
      assertThat(tail.get("problem").asText()).contains("removed");
      try (Connection c = connect(url); Statement st = c.createStatement()) {
        st.executeUpdate("DELETE FROM audit_log WHERE seq = 2");
      }
      var gap = json(s.get("/api/v1/audit/verify", s.adminToken).body());
      assertThat(gap.get("firstBrokenSeq").asLong()).isEqualTo(2);
      assertThat(gap.get("problem").asText()).contains("missing");
    }
  }
}
