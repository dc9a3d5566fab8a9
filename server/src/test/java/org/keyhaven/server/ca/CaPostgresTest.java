package org.keyhaven.server.ca;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.TestServer;

/**
 * The CA on PostgreSQL 15 (the V10 migration, serial reservation, outbox, approvals, filters):
 * bootstrap, issue, look up, approve. Needs KEYHAVEN_PG_URL (.ci/postgres.sh); CI fails without.
 */
class CaPostgresTest {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void bootstrapIssueLookupAndApprove_onPostgres() throws Exception {
    Openssl.require();
    try (TestServer srv = TestServer.startOnPostgres()) {
      String admin2 = srv.token("pg-admin2", "admin");
      String csr = CaRoutesTest.csr(dir, "pg", "prime256v1", "/O=Example Org/CN=PG",
          "email:pg@example.org");
      var r = srv.postJson("/api/v1/cas/ca-mail/certificates", srv.adminToken,
          JSON.writeValueAsString(Map.of("csr", csr, "profile", "smime-sign")));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      String serial = JSON.readTree(r.body()).get("serial").asText();
      JsonNode page = JSON.readTree(srv.get(
          "/api/v1/certificates?email=PG@example.org&subject=cn%3Dpg&status=good&ca=ca-mail",
          srv.adminToken).body());
      assertThat(page.get("items").get(0).get("serial").asText()).isEqualTo(serial);
      assertThat(JSON.readTree(srv.get("/api/v1/cas", srv.adminToken).body()).get("cas").size())
          .isEqualTo(7);

      String ha = CaRoutesTest.csr(dir, "pgha", "secp384r1", "/O=Example Org/CN=PGHA",
          "email:pgha@example.org");
      var pending = srv.postJson("/api/v1/cas/ca-high/certificates", srv.adminToken,
          JSON.writeValueAsString(Map.of("csr", ha, "profile", "smime-sign")));
      assertThat(pending.statusCode()).isEqualTo(202);
      long id = JSON.readTree(pending.body()).get("approval").asLong();
      var ok = srv.postJson("/api/v1/approvals/" + id + "/approve", admin2, null);
      assertThat(ok.statusCode()).as(ok.body()).isEqualTo(201);
    }
  }
}
