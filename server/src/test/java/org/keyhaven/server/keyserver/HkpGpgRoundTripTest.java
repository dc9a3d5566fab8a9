package org.keyhaven.server.keyserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/**
 * GnuPG 2.2 against our HKP port: keys made by gpg itself (ed25519/cv25519 and RSA), then
 * --send-keys, --recv-keys by fingerprint and key ID, --search-keys by e-mail and name, and
 * --refresh-keys picking up a revocation certificate uploaded on its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HkpGpgRoundTripTest {
  private static TestServer server;
  private static Gpg owner;
  private static Gpg client;
  private static String ed;
  private static String rsa;

  @BeforeAll
  static void start() throws Exception {
    Gpg.requireGpg();
    server = TestServer.start(TestDatabases.h2Url("hkpgpg"), 0, -1);
    owner = Gpg.create(server.server.hkpPort());
    client = Gpg.create(server.server.hkpPort());
    ed = owner.generate("Ed User <ed@example.org>", "ed25519", "cv25519");
    rsa = owner.generate("Rsa User <rsa@example.org>", "rsa2048", "rsa2048");
  }

  @AfterAll
  static void stop() {
    if (client != null) {
      client.close();
    }
    if (owner != null) {
      owner.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void sendKeys_storesBothKeys() {
    Gpg.Result r = owner.run("--send-keys", ed, rsa);
    assertThat(r.exit()).as(r.all()).isZero();
    assertThat(server.server.wiring().keyStore.count()).isEqualTo(2);
  }

  @Test
  @Order(2)
  void recvKeys_byFingerprintAndLongKeyId_importsThem() {
    Gpg.Result r1 = client.run("--recv-keys", ed);
    assertThat(r1.exit()).as(r1.all()).isZero();
    Gpg.Result r2 = client.run("--recv-keys", "0x" + rsa.substring(24));
    assertThat(r2.exit()).as(r2.all()).isZero();
    assertThat(client.fingerprint(ed)).isEqualTo(ed);
    assertThat(client.fingerprint(rsa)).isEqualTo(rsa);
    // What gpg imported is exactly what the owner exported (same packets, same subkeys).
    Gpg.Result list = client.run("--with-colons", "--list-keys", ed, rsa);
    assertThat(list.out()).contains("uid:-::::", "Ed User <ed@example.org>",
        "Rsa User <rsa@example.org>");
    assertThat(list.out().lines().filter(l -> l.startsWith("sub:")).count()).isEqualTo(2);
  }

  @Test
  @Order(3)
  void searchKeys_byEmailAndByName_listsTheKey() {
    Gpg.Result byMail = client.run("--search-keys", "ed@example.org");
    assertThat(byMail.all()).contains("Ed User <ed@example.org>").contains(ed.substring(24));
    Gpg.Result byName = client.run("--search-keys", "Rsa User");
    assertThat(byName.all()).contains("Rsa User <rsa@example.org>").contains(rsa.substring(24));
    Gpg.Result none = client.run("--search-keys", "nobody@example.org");
    assertThat(none.all()).containsIgnoringCase("not found");
  }

  @Test
  @Order(4)
  void refreshKeys_picksUpRevocationUploadedAlone() throws Exception {
    // gpg writes a revocation certificate at key generation; its armor is guarded by a ':'.
    Path rev = owner.home.resolve("openpgp-revocs.d").resolve(ed + ".rev");
    String cert = Files.readString(rev).replace(":-----BEGIN", "-----BEGIN");
    var r = server.send("POST", "/pks/add", null, "application/x-www-form-urlencoded",
        ("keytext=" + URLEncoder.encode(cert.substring(cert.indexOf("-----BEGIN")),
            StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).contains("updated 1");
    assertThat(client.pubValidity(ed)).isNotEqualTo("r");
    Gpg.Result refresh = client.run("--refresh-keys");
    assertThat(refresh.exit()).as(refresh.all()).isZero();
    assertThat(client.pubValidity(ed)).isEqualTo("r");
    assertThat(client.pubValidity(rsa)).isNotEqualTo("r");
    var index = server.get("/pks/lookup?op=index&options=mr&search=0x" + ed, null);
    assertThat(index.body()).contains("pub:" + ed + ":22:").containsPattern("pub:.*:r\n");
  }

  @Test
  @Order(5)
  void sendKeys_afterLocalRevocation_isMergedAndStillOneKey() {
    Path rev = owner.home.resolve("openpgp-revocs.d").resolve(rsa + ".rev");
    Gpg.Result imp;
    try {
      String cert = Files.readString(rev).replace(":-----BEGIN", "-----BEGIN");
      imp = owner.runWithInput(cert, "--import");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    assertThat(imp.exit()).as(imp.all()).isZero();
    Gpg.Result send = owner.run("--send-keys", rsa);
    assertThat(send.exit()).as(send.all()).isZero();
    assertThat(server.server.wiring().keyStore.count()).isEqualTo(2);
    Gpg.Result refresh = client.run("--refresh-keys", rsa);
    assertThat(refresh.exit()).as(refresh.all()).isZero();
    assertThat(client.pubValidity(rsa)).isEqualTo("r");
  }
}
