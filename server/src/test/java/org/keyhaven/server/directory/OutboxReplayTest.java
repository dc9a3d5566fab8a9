package org.keyhaven.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.KeyhavenServer;
import org.keyhaven.server.ServerConfig;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/**
 * Regression for a crash-consistency finding: when the server died after committing publication
 * events but before marking them published, the restart first rebuilt the directory from the
 * database and then replayed those stale events on top: a certificate revoked before the crash
 * came back into the directory and stayed there. Here the "crash" is simulated by marking every
 * outbox row unpublished again; the directory must still match the database afterwards
 * (no revoked certificate, only the newest CRLs).
 */
class OutboxReplayTest {

  @Test
  void staleOutboxEvents_afterRestart_doNotResurrectRevokedCertificates(
      @TempDir Path dir) throws Exception {
    Ldap.require("openssl");
    String url = TestDatabases.h2Url("replay_" + UUID.randomUUID().toString().substring(0, 8));
    ServerConfig config = TestServer.config(dir, url, TestServer.freePort(), 0,
        TestServer.freePort());
    String base = "http://127.0.0.1:" + config.httpPort();
    String serial;
    try (KeyhavenServer a = KeyhavenServer.start(config, Clock.systemUTC())) {
      String token = Files.readString(dir.resolve("admin-token")).strip();
      var cert = DirectoryPublicationTest.issue(base, token, dir, "rita@example.org");
      serial = cert.getKey();
      assertThat(DirectoryPublicationTest.get(base + "/crl/ca-mail.crl").statusCode())
          .isEqualTo(200);
      var r = DirectoryPublicationTest.post(base + "/api/v1/certificates/" + serial + "/revoke",
          token, "{\"reason\":\"keyCompromise\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(DirectoryPublicationTest.get(base + "/crl/ca-mail.crl").statusCode())
          .isEqualTo(200);
      Ldap.await(() -> String.valueOf(certificatesFor(config.ldapPort(), "rita@example.org")
          .size()), "0"::equals);
    }
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement st = c.createStatement()) {
      int stale = st.executeUpdate("UPDATE publication_outbox SET published_at = NULL"
          + " WHERE kind = 'ee-certificate'");
      assertThat(stale).as("the revoked certificate's issuance event").isEqualTo(1);
    }
    try (KeyhavenServer b = KeyhavenServer.start(config, Clock.systemUTC())) {
      Ldap.await(() -> String.valueOf(pending(url)), "0"::equals);
      // The embedded directory follows the outboxes on its own tick (after its reconcile, which
      // publishes the CRLs), not in the drain: wait for it, then let it re-read the stale event.
      Ldap.await(() -> String.valueOf(crlsInDirectory(config.ldapPort()).isEmpty()),
          "false"::equals);
      Thread.sleep(1_500);
      assertThat(certificatesFor(config.ldapPort(), "rita@example.org"))
          .as("revoked certificate stays out of the directory").isEmpty();
      List<byte[]> latest = latestCrls(url);
      List<byte[]> published = crlsInDirectory(config.ldapPort());
      assertThat(published).isNotEmpty();
      for (byte[] crl : published) {
        assertThat(latest.stream().anyMatch(l -> Arrays.equals(l, crl)))
            .as("every CRL in the directory is the newest of its CA and kind").isTrue();
      }
    }
  }

  static int pending(String url) {
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT COUNT(*) FROM publication_outbox WHERE published_at IS NULL")) {
      rs.next();
      return rs.getInt(1);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static List<byte[]> latestCrls(String url) throws Exception {
    List<byte[]> out = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "sa", "");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT der FROM crl c WHERE crl_number ="
            + " (SELECT MAX(crl_number) FROM crl d WHERE d.ca_id = c.ca_id AND d.kind = c.kind)")) {
      while (rs.next()) {
        out.add(rs.getBytes(1));
      }
    }
    return out;
  }

  static List<byte[]> certificatesFor(int port, String mail) {
    return values(port, "(mail=" + mail + ")", "userCertificate");
  }

  static List<byte[]> crlsInDirectory(int port) {
    return values(port, "(objectClass=*)", "certificateRevocationList");
  }

  static List<byte[]> values(int port, String filter, String attribute) {
    List<byte[]> out = new ArrayList<>();
    try (LDAPConnection c = new LDAPConnection("127.0.0.1", port)) {
      for (SearchResultEntry e : c.search(DirectoryPublicationTest.BASE, SearchScope.SUB, filter,
          attribute + ";binary").getSearchEntries()) {
        for (Attribute a : e.getAttributes()) {
          if (a.getBaseName().equalsIgnoreCase(attribute)) {
            out.addAll(Arrays.asList(a.getValueByteArrays()));
          }
        }
      }
    } catch (Exception ex) {
      throw new AssertionError(ex);
    }
    return out;
  }
}
