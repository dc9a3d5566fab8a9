package org.keyhaven.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/** A key uploaded over HKP is found by gpg/dirmngr over ldap:// on the embedded directory. */
class LdapKeysGpgTest {
  static String gpg(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GNUPGHOME", home.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return p.exitValue() + "\n" + out;
  }

  static Path home(String conf) throws Exception {
    Path h = Files.createTempDirectory("khgpg");
    Files.setPosixFilePermissions(h, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(h.resolve("dirmngr.conf"), conf);
    return h;
  }

  static void kill(Path home) {
    try {
      ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "all");
      pb.environment().put("GNUPGHOME", home.toString());
      pb.start().waitFor(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      // best effort
    }
  }

  @Test
  void hkpUpload_thenGpgRecvAndSearchOverLdap() throws Exception {
    Ldap.require("gpg");
    Ldap.require("dirmngr");
    try (TestServer srv = TestServer.start(TestDatabases.h2Url("dirgpg_" + UUID.randomUUID()
        .toString().substring(0, 8)), -1, 0)) {
      String url = "ldap://127.0.0.1:" + srv.server.ldapPort();
      Path owner = home("");
      Path reader = home("keyserver " + url + "\n");
      try {
        assertThat(gpg(owner, "--passphrase", "", "--quick-gen-key", "Ivy <ivy@example.org>",
            "ed25519", "sign", "1y")).startsWith("0\n");
        String fpr = gpg(owner, "--with-colons", "--list-keys", "ivy@example.org").lines()
            .filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
        String armored = gpg(owner, "--armor", "--export", fpr).substring(2);
        HttpResponse<String> add = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(srv.base + "/pks/add")).header("Content-Type",
            "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(
            "keytext=" + URLEncoder.encode(armored, StandardCharsets.UTF_8))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(add.statusCode()).as(add.body()).isEqualTo(200);
        Ldap.require("ldapsearch");
        Ldap.await(() -> Ldap.search(srv.server.ldapPort(), "dc=example,dc=org",
            "(gpgFingerprint=" + fpr.toLowerCase() + ")", "pgpCertID"),
            out -> out.contains("pgpCertID"));
        assertThat(gpg(reader, "--recv-keys", fpr)).startsWith("0\n");
        assertThat(gpg(reader, "--search-keys", "<ivy@example.org>")).contains(fpr.substring(24));
      } finally {
        kill(owner);
        kill(reader);
      }
    }
  }
}
