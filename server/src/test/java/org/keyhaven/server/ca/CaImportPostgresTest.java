package org.keyhaven.server.ca;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.TestServer;

/**
 * CA import on PostgreSQL 15 (the V11 migration, linked certificates, the transactional insert):
 * the main import flow of {@link CaImportTest}, a subordinate's external chain and a refused
 * import that leaves nothing behind. Needs KEYHAVEN_PG_URL (.ci/postgres.sh); CI fails without.
 */
class CaImportPostgresTest {
  @TempDir Path dir;

  @Test
  void importRoot_issue_verify_andCrossCertificate_onPostgres() throws Exception {
    Openssl.require();
    try (TestServer srv = TestServer.startOnPostgres()) {
      CaImportTest.importRoot_buildHierarchy_issue_verify(srv, Files.createDirectories(
          dir.resolve("root")), "pg");
      // A cross-certificate the imported root issued for our default root, attached and served.
      Path d = dir.resolve("root");
      Files.writeString(d.resolve("our-root.pem"), srv.get("/ca/root.pem", null).body());
      String subj = Openssl.ok(d, "x509", "-in", "our-root.pem", "-noout", "-subject",
          "-nameopt", "compat").strip().substring("subject=".length());
      Openssl.ok(d, "x509", "-in", "our-root.pem", "-pubkey", "-noout", "-out", "our-root.pub");
      Openssl.ok(d, "x509", "-new", "-subj", subj, "-force_pubkey", "our-root.pub", "-CA",
          "ext-root.pem", "-CAkey", "ext-root.key", "-extfile", "ext.cnf", "-extensions",
          "cross", "-days", "30", "-out", "cross.pem");
      var r = srv.postJson("/api/v1/cas/root/cross-certificates/import", srv.adminToken,
          CaImportTest.JSON.writeValueAsString(Map.of("certificate",
              CaImportTest.read(d, "cross.pem"), "chain", CaImportTest.read(d, "ext-root.pem"))));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
      assertThat(CaImportTest.getBytes(srv, "/ca/root/cross.p7c", null).statusCode())
          .isEqualTo(200);
      // Refused (key belongs to another certificate): no row is left.
      var bad = CaImportTest.importCa(srv, Map.of("id", "pg-bad", "certificate",
          CaImportTest.read(d, "cross.pem"), "key", CaImportTest.read(d, "ext-root.key")));
      assertThat(bad.statusCode()).isEqualTo(400);
      assertThat(srv.get("/api/v1/cas/pg-bad", srv.adminToken).statusCode()).isEqualTo(404);
    }
  }
}
