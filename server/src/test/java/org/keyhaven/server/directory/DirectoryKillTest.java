package org.keyhaven.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.TestServer;
import org.keyhaven.server.jobs.PublicationWorker;

/**
 * Issue 5's crash test, made deterministic: a real {@code keyhaven serve} process commits a
 * certificate, an OpenPGP key and a CRL while its publication worker is held (test-only switch
 * {@value PublicationWorker#HOLD_PROPERTY}), so all three are in the database and its outboxes
 * but not in LDAP; the process is then killed with SIGKILL and started again on the same data
 * directory, and ldapsearch must find all three.
 */
class DirectoryKillTest {
  static final String BASE = DirectoryPublicationTest.BASE;
  static final String CA_DN = "cn=Example Org Mail Issuing CA,ou=cas," + BASE;

  /** Starts {@code keyhaven serve} in its own JVM and waits for its ready line. */
  static Process serve(Path dataDir, int http, int ldap, boolean hold) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "-XX:TieredStopAtLevel=1", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"));
    if (hold) {
      cmd.add("-D" + PublicationWorker.HOLD_PROPERTY + "=true");
    }
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"),
        "org.keyhaven.server.Main", "serve", "--data-dir", dataDir.toString(), "--http-port",
        Integer.toString(http), "--hkp-port", "0", "--ldap-port", Integer.toString(ldap)));
    Path log = dataDir.resolveSibling("server.log");
    Process p = new ProcessBuilder(cmd)
        .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    if (!org.keyhaven.server.ReadyLine.await(p, 120, "kill-test-stdout")) {
      p.destroyForcibly();
      throw new AssertionError("server not ready; log:\n" + Files.readString(log));
    }
    return p;
  }

  static String ldap(int port, String base, String filter, String... attrs) {
    return Ldap.search(port, base, filter, attrs);
  }

  @Test
  void sigkillBetweenCommitAndPublication_directoryCatchesUpAtRestart(@TempDir Path dir)
      throws Exception {
    Ldap.require("ldapsearch");
    Ldap.require("openssl");
    Ldap.require("gpg");
    Path data = dir.resolve("data");
    int http = TestServer.freePort();
    int ldapPort = TestServer.freePort();
    String base = "http://127.0.0.1:" + http;
    Path gpgHome = LdapKeysGpgTest.home("");
    Process first = serve(data, http, ldapPort, true);
    String fpr;
    byte[] cert;
    try {
      String token = Files.readString(data.resolve("admin-token")).strip();
      // 1. A certificate (CA outbox), a CRL (crl table) and an OpenPGP key (ks_key), committed.
      cert = DirectoryPublicationTest.issue(base, token, dir, "kim@example.org").getValue();
      assertThat(DirectoryPublicationTest.get(base + "/crl/ca-mail.crl").statusCode())
          .isEqualTo(200);
      assertThat(LdapKeysGpgTest.gpg(gpgHome, "--passphrase", "", "--quick-gen-key",
          "Kim <kim@example.org>", "ed25519", "sign", "1y")).startsWith("0\n");
      fpr = LdapKeysGpgTest.gpg(gpgHome, "--with-colons", "--list-keys", "kim@example.org")
          .lines().filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
      String armored = LdapKeysGpgTest.gpg(gpgHome, "--armor", "--export", fpr).substring(2);
      HttpResponse<String> add = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create(base + "/pks/add")).header("Content-Type",
          "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
          "keytext=" + URLEncoder.encode(armored, StandardCharsets.UTF_8))).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(add.statusCode()).as(add.body()).isEqualTo(200);

      // 2. Several worker ticks later, none of it is in LDAP: we are inside the crash window.
      Thread.sleep(3000);
      assertThat(ldap(ldapPort, BASE, "(mail=kim@example.org)", "userCertificate;binary"))
          .doesNotContain("userCertificate");
      assertThat(ldap(ldapPort, BASE, "(gpgFingerprint=" + fpr.toLowerCase() + ")",
          "pgpCertID")).doesNotContain("pgpCertID");
      assertThat(ldap(ldapPort, CA_DN, "(objectClass=*)", "certificateRevocationList;binary"))
          .doesNotContain("certificateRevocationList");
    } finally {
      // 3. SIGKILL (destroyForcibly on Linux): no shutdown hook, no flush, no goodbye.
      first.destroyForcibly();
      assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
      LdapKeysGpgTest.kill(gpgHome);
    }
    assertThat(first.exitValue()).isEqualTo(137); // 128 + SIGKILL

    // The certificate's publication event is committed and still pending in the outbox.
    try (Connection c = DriverManager.getConnection("jdbc:h2:file:"
        + data.toAbsolutePath().resolve("keyhaven") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
        "sa", "");
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT COUNT(*) FROM publication_outbox WHERE published_at IS NULL"
                + " AND kind = 'ee-certificate'")) {
      rs.next();
      assertThat(rs.getInt(1)).isPositive();
    }

    // 4. Restart on the same data: the directory catches up from the database.
    Process second = serve(data, http, ldapPort, false);
    try {
      String tb = Ldap.await(() -> ldap(ldapPort, BASE, "(mail=kim@example.org)",
          "userCertificate;binary"), out -> out.contains("userCertificate;binary"));
      assertThat(Ldap.values(tb, "userCertificate;binary")).singleElement().isEqualTo(cert);
      String key = Ldap.await(() -> ldap(ldapPort, BASE,
          "(gpgFingerprint=" + fpr.toLowerCase() + ")", "pgpCertID"),
          out -> out.contains("pgpCertID"));
      assertThat(key).contains("pgpCertID: " + fpr.substring(24));
      String crl = Ldap.await(() -> ldap(ldapPort, CA_DN, "(objectClass=*)",
          "certificateRevocationList;binary"), out -> out.contains("certificateRevocationList"));
      byte[] ldapCrl = Ldap.values(crl, "certificateRevocationList;binary").get(0);
      Path crlFile = dir.resolve("ldap.crl");
      Files.write(crlFile, ldapCrl);
      assertThat(Ldap.run("openssl", "crl", "-inform", "DER", "-in", crlFile.toString(),
          "-noout", "-issuer")).contains("Example Org Mail Issuing CA");
    } finally {
      second.destroy();
      second.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
