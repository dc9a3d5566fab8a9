package org.keyhaven.server.keyserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.StoredKeyring;
import org.keyhaven.keyserver.SubmissionResult;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;
import org.keyhaven.keyserver.openpgp.SyntheticKeys.Identity;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/**
 * CVE-2019-13050: a victim key with 150,000 third-party certifications from 1,000 attacker keys
 * (50 of which are on the server), generated deterministically with bcpg. Uploaded in one go
 * (bulk import path; over HKP it is refused as too large) and in pieces over HKP, it must leave
 * the same small stored key, keep lookups fast, and import into gpg normally.
 */
class HkpFloodTest {
  static final int SIGS = 150_000;
  static final int ATTACKERS = 1_000;
  static final int ATTACKERS_ON_SERVER = 50;
  static final Instant NEWEST = Instant.parse("2026-01-01T00:00:00Z");
  static Identity victim;
  static List<Identity> attackers = new ArrayList<>();
  static List<byte[]> sigs = new ArrayList<>();
  static TestServer pieces;
  static TestServer oneGo;

  @BeforeAll
  static void setUp() {
    victim = SyntheticKeys.identity("victim", "Victim <victim@example.org>",
        Instant.parse("2025-01-01T00:00:00Z"));
    for (int i = 0; i < ATTACKERS; i++) {
      attackers.add(SyntheticKeys.identity("flood" + i, "Flooder " + i + " <f" + i + "@evil.test>",
          Instant.parse("2025-01-01T00:00:00Z")));
    }
    for (int i = 0; i < SIGS; i++) {
      try {
        sigs.add(SyntheticKeys.certify(attackers.get(i % ATTACKERS), victim, victim.userId(),
            NEWEST.minusSeconds(i)).getEncoded());
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    }
    pieces = TestServer.start(TestDatabases.h2Url("floodp"), 0, -1);
    oneGo = TestServer.start(TestDatabases.h2Url("flood1"), 0, -1);
    for (int i = 0; i < ATTACKERS_ON_SERVER; i++) {
      byte[] key = SyntheticKeys.publicKey(attackers.get(i));
      assertThat(post(pieces, key).statusCode()).isEqualTo(200);
      oneGo.server.wiring().keySubmission.submit(key);
    }
  }

  @AfterAll
  static void tearDown() {
    if (pieces != null) {
      pieces.close();
    }
    if (oneGo != null) {
      oneGo.close();
    }
  }

  static byte[] victimWith(int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      out.writeBytes(sigs.get(i));
    }
    return SyntheticKeys.publicKey(victim, out.toByteArray());
  }

  static java.net.http.HttpResponse<String> post(TestServer s, byte[] binary) {
    return s.send("POST", "/pks/add", null, "application/pgp-keys", binary);
  }

  @Test
  void flood_inOneGoAndInPieces_leavesSameSmallKey_fastLookups_andGpgImportsIt()
      throws Exception {
    Fingerprint v = Fingerprint.of(victim.publicKey().getFingerprint());
    byte[] whole = victimWith(0, SIGS);
    assertThat(whole.length).isGreaterThan(15_000_000);

    // Over HKP the whole flood is one oversized request: refused with 413, in plain text.
    var tooBig = post(oneGo, whole);
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(tooBig.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

    // In one go through the bulk-import path (what `keyhaven keys import` uses).
    long t0 = System.nanoTime();
    List<SubmissionResult.KeyOutcome> out = new ArrayList<>();
    oneGo.server.wiring().keySubmission.submitStream(new ByteArrayInputStream(whole), 0,
        out::add);
    long oneGoMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(out).singleElement().extracting(SubmissionResult.KeyOutcome::status)
        .isEqualTo(SubmissionResult.Status.ADDED);

    // In 10 pieces of 15,000 signatures over HKP, oldest first.
    for (int p = 9; p >= 0; p--) {
      var r = post(pieces, victimWith(p * 15_000, (p + 1) * 15_000));
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    StoredKeyring a = oneGo.server.wiring().keyStore.find(v).orElseThrow();
    StoredKeyring b = pieces.server.wiring().keyStore.find(v).orElseThrow();
    assertThat(b.served()).isEqualTo(a.served());
    assertThat(b.firstParty()).isEqualTo(a.firstParty());
    // 100 verified certifications kept (newest, from the 50 attackers on the server) + 100 held.
    var third = pieces.server.wiring().keyStore.thirdPartyOn(v);
    assertThat(third.stream().filter(t -> t.verified()).count()).isEqualTo(100);
    assertThat(third.stream().filter(t -> !t.verified()).count()).isEqualTo(100);
    assertThat(a.served().size()).isLessThan(32 * 1024);

    // Lookups stay fast.
    long l0 = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      var g = pieces.get("/pks/lookup?op=get&options=mr&search=0x" + v.upperHex(), null);
      assertThat(g.statusCode()).isEqualTo(200);
    }
    long perLookupMs = (System.nanoTime() - l0) / 1_000_000 / 50;
    assertThat(perLookupMs).isLessThan(50);

    // gpg imports it normally, with the capped signatures.
    Gpg.requireGpg();
    try (Gpg gpg = Gpg.create(pieces.server.hkpPort())) {
      long g0 = System.nanoTime();
      Gpg.Result r = gpg.run("--recv-keys", v.upperHex());
      long gpgMs = (System.nanoTime() - g0) / 1_000_000;
      assertThat(r.exit()).as(r.all()).isZero();
      assertThat(r.all()).doesNotContain("too large");
      Gpg.Result sigList = gpg.run("--with-colons", "--list-sigs", v.upperHex());
      long sigCount = sigList.out().lines().filter(l -> l.startsWith("sig:")).count();
      assertThat(sigCount).isBetween(2L, 102L);
      assertThat(gpgMs).isLessThan(20_000);
      Path report = Path.of("target", "flood-report.txt");
      Files.writeString(report, String.format("one-go import %d ms; lookup %d ms; "
          + "stored %d bytes; gpg --recv-keys %d ms, %d signatures%n", oneGoMs, perLookupMs,
          a.served().size(), gpgMs, sigCount));
    }
  }
}
