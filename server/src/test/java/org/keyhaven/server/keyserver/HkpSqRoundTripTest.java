package org.keyhaven.server.keyserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/**
 * Sequoia's sq 0.27 (Debian bookworm) against our HKP port, the second real client next to gpg
 * (HkpGpgRoundTripTest): {@code sq keyserver send} and {@code sq keyserver get} by fingerprint,
 * key ID, subkey, and e-mail, with keys made by sq itself and by gpg, a revocation sent with sq,
 * and the refusals sq sees. How sq differs from gpg on the wire is in docs/KEYSERVER.md ("sq").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HkpSqRoundTripTest {
  private static TestServer server;
  private static Sq sq;
  private static Gpg gpg;
  private static Path sqCert;
  private static String sqFpr;

  @BeforeAll
  static void start() throws Exception {
    Sq.requireSq();
    Gpg.requireGpg();
    server = TestServer.start(TestDatabases.h2Url("hkpsq"), 0, -1);
    sq = Sq.create(server.server.hkpPort());
    gpg = Gpg.create(server.server.hkpPort());
    sqCert = sq.generate("alice", "Alice Sq <alice.sq@example.org>");
    sqFpr = sq.fingerprint(sqCert);
  }

  @AfterAll
  static void stop() {
    if (gpg != null) {
      gpg.close();
    }
    if (sq != null) {
      sq.close();
    }
    if (server != null) {
      server.close();
    }
  }

  /** Primary fingerprints of the certificates in {@code bytes}, as sq itself reads them. */
  private static List<String> fingerprintsSqSees(byte[] bytes) throws IOException {
    Path f = Files.createTempFile(sq.dir, "got", ".pgp");
    Files.write(f, bytes);
    Sq.Result r = sq.run("inspect", f.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    List<String> out = new ArrayList<>();
    for (String line : r.text().split("\n")) {
      if (line.startsWith("    Fingerprint: ")) {
        out.add(line.substring("    Fingerprint: ".length()).strip());
      }
    }
    return out;
  }

  @Test
  @Order(1)
  void send_keyMadeBySq_isStoredAndGetReturnsItByteForByte() {
    Sq.Result send = sq.keyserver("send", sqCert.toString());
    assertThat(send.exit()).as(send.err()).isZero();
    assertThat(server.server.wiring().keyStore.count()).isEqualTo(1);
    Sq.Result get = sq.get(sqFpr);
    assertThat(get.exit()).as(get.err()).isZero();
    // A fresh sq certificate is already in our canonical order, so the served key is the very
    // certificate sq sent (every subkey, binding and notation kept).
    assertThat(get.out()).isEqualTo(sq.dearmor(sqCert));
  }

  @Test
  @Order(2)
  void get_byKeyIdSubkeyAndEmail_allReturnTheKey() throws IOException {
    byte[] expected = sq.dearmor(sqCert);
    String subkeyFpr = subkeyFingerprint(sqCert);
    for (String query : List.of("0x" + sqFpr.substring(24), sqFpr.substring(24), subkeyFpr,
        subkeyFpr.substring(24), "alice.sq@example.org", "<alice.sq@example.org>")) {
      Sq.Result r = sq.get(query);
      assertThat(r.exit()).as(query + ": " + r.err()).isZero();
      assertThat(r.out()).as(query).isEqualTo(expected);
    }
  }

  private static String subkeyFingerprint(Path cert) {
    Sq.Result r = sq.run("inspect", cert.toString());
    for (String line : r.text().split("\n")) {
      String t = line.strip();
      if (t.startsWith("Subkey:")) {
        return t.substring("Subkey:".length()).strip();
      }
    }
    throw new AssertionError("no subkey in " + r.text());
  }

  @Test
  @Order(3)
  void get_unknownKeyOrAddress_failsWithKeyNotFound() {
    Sq.Result byFpr = sq.get("0000000000000000000000000000000000000001");
    assertThat(byFpr.exit()).isNotZero();
    assertThat(byFpr.err()).contains("Key not found");
    Sq.Result byMail = sq.get("nobody@example.org");
    assertThat(byMail.exit()).isNotZero();
    assertThat(byMail.err()).contains("Key not found");
    // sq itself refuses anything that is no fingerprint, key ID or address, before asking.
    Sq.Result byName = sq.get("Alice Sq");
    assertThat(byName.exit()).isNotZero();
    assertThat(byName.err()).contains("must be a fingerprint, a keyid, or an email address");
  }

  @Test
  @Order(4)
  void keysMadeByGpg_sentByGpg_areReceivedBySq_andSqKeyIsReceivedByGpg() throws IOException {
    String ed = gpg.generate("Ed Gpg <ed.gpg@example.org>", "ed25519", "cv25519");
    String rsa = gpg.generate("Rsa Gpg <rsa.gpg@example.org>", "rsa2048", "rsa2048");
    Gpg.Result send = gpg.run("--send-keys", ed, rsa);
    assertThat(send.exit()).as(send.all()).isZero();
    for (String fpr : List.of(ed, rsa)) {
      Sq.Result r = sq.get(fpr);
      assertThat(r.exit()).as(r.err()).isZero();
      assertThat(fingerprintsSqSees(r.out())).containsExactly(fpr);
      // The same packets gpg exported (gpg may order them differently).
      assertThat(HkpProtocolTest.canonical(r.out()))
          .isEqualTo(HkpProtocolTest.canonical(gpg.export(fpr)));
    }
    Sq.Result byMail = sq.get("rsa.gpg@example.org");
    assertThat(fingerprintsSqSees(byMail.out())).containsExactly(rsa);
    // The other way: gpg receives the key sq made and sent.
    Gpg.Result recv = gpg.run("--recv-keys", sqFpr);
    assertThat(recv.exit()).as(recv.all()).isZero();
    assertThat(gpg.fingerprint(sqFpr)).isEqualTo(sqFpr);
    assertThat(HkpProtocolTest.canonical(gpg.export(sqFpr)))
        .isEqualTo(HkpProtocolTest.canonical(sq.dearmor(sqCert)));
  }

  @Test
  @Order(5)
  void get_byEmail_returnsEveryKeyWithThatAddress() throws IOException {
    Path second = sq.generate("alice2", "Alice Again <alice.sq@example.org>");
    String secondFpr = sq.fingerprint(second);
    Sq.Result send = sq.keyserver("send", second.toString());
    assertThat(send.exit()).as(send.err()).isZero();
    Sq.Result r = sq.get("alice.sq@example.org");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(fingerprintsSqSees(r.out())).containsExactlyInAnyOrder(sqFpr, secondFpr);
  }

  @Test
  @Order(6)
  void get_byEmailInOtherLetterCase_serverAnswersButSqFiltersItOut() {
    // Our e-mail match is case-insensitive (as SKS's and gpg's); sq 0.27 keeps only
    // certificates whose user ID carries the address exactly as typed, and exits 0 with nothing.
    var http = server.get("/pks/lookup?op=get&options=mr&search=ALICE.SQ@EXAMPLE.ORG", null);
    assertThat(http.statusCode()).isEqualTo(200);
    assertThat(http.headers().firstValue("X-HKP-Results-Count")).hasValue("2");
    Sq.Result r = sq.get("ALICE.SQ@EXAMPLE.ORG");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).isEmpty();
  }

  @Test
  @Order(7)
  void send_revocationCertificateWithTheKey_revokesIt() throws IOException {
    // sq writes the revocation as a lone signature (alice.key.rev); sq keyserver send refuses a
    // bare signature client-side ("Malformed key"), so the certificate goes with it.
    Sq.Result bare = sq.keyserver("send", "alice.key.rev");
    assertThat(bare.exit()).isNotZero();
    assertThat(bare.err()).contains("Malformed");
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(sq.dearmor(sqCert));
    both.write(sq.dearmor(sq.dir.resolve("alice.key.rev")));
    Path revoked = Files.write(sq.dir.resolve("revoked.pgp"), both.toByteArray());
    Sq.Result send = sq.keyserver("send", revoked.toString());
    assertThat(send.exit()).as(send.err()).isZero();
    var index = server.get("/pks/lookup?op=index&options=mr&search=0x" + sqFpr, null);
    assertThat(index.body()).containsPattern("pub:" + sqFpr + ":22:256:\\d+:\\d*:r\n");
    Sq.Result get = sq.get(sqFpr);
    assertThat(get.exit()).as(get.err()).isZero();
    Path got = Files.write(sq.dir.resolve("got-revoked.pgp"), get.out());
    assertThat(sq.run("inspect", got.toString()).text()).contains("Revoked");
    Gpg.Result refresh = gpg.run("--refresh-keys", sqFpr);
    assertThat(refresh.exit()).as(refresh.all()).isZero();
    assertThat(gpg.pubValidity(sqFpr)).isEqualTo("r");
  }

  @Test
  @Order(8)
  void send_keyWithoutUserId_isRefusedAndNotStored() {
    long before = server.server.wiring().keyStore.count();
    Path bare = sq.generate("nouid", null);
    Sq.Result send = sq.keyserver("send", bare.toString());
    // We answer 422 with a reason; sq 0.27 shows only "Error communicating with server".
    assertThat(send.exit()).isNotZero();
    assertThat(send.err()).contains("Failed to send key to server");
    assertThat(server.server.wiring().keyStore.count()).isEqualTo(before);
    Sq.Result get = sq.get(sq.fingerprint(bare));
    assertThat(get.exit()).isNotZero();
  }
}
