package org.keyhaven.keyserver.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.keyhaven.keyserver.Fixtures.T0;
import static org.keyhaven.keyserver.Fixtures.concat;
import static org.keyhaven.keyserver.Fixtures.enc;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.Fixtures;
import org.keyhaven.keyserver.KeyAdministration;
import org.keyhaven.keyserver.KeyId;
import org.keyhaven.keyserver.KeyLookup;
import org.keyhaven.keyserver.KeyQuery;
import org.keyhaven.keyserver.KeySubmission;
import org.keyhaven.keyserver.KeyserverPolicy;
import org.keyhaven.keyserver.StoredKeyring;
import org.keyhaven.keyserver.SubmissionResult;
import org.keyhaven.keyserver.SubmissionResult.Status;
import org.keyhaven.keyserver.openpgp.SksKeyHash;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;
import org.keyhaven.keyserver.openpgp.SyntheticKeys.Identity;
import org.keyhaven.keyserver.store.jdbc.JdbcKeyserverStore;

/**
 * Submission, lookup, third-party policy and removal against a real database; run on H2 by
 * {@link KeySubmissionH2Test} and on PostgreSQL by {@link KeySubmissionPostgresTest}.
 */
abstract class KeySubmissionContract {
  private static final Identity ALICE = Fixtures.alice();
  private static final Identity BOB = Fixtures.bob();
  private static final Identity CAROL = Fixtures.carol();
  private static final Fingerprint A = fpr(ALICE);
  private static final Fingerprint B = fpr(BOB);

  private final Clock clock = Clock.fixed(T0.plusSeconds(3600), ZoneOffset.UTC);
  private final List<String> audit = new ArrayList<>();

  private record Env(JdbcKeyserverStore store, KeySubmission submit, KeyLookup lookup) {}

  private Env env(KeyserverPolicy policy) {
    JdbcKeyserverStore s = new JdbcKeyserverStore(dataSource());
    return new Env(s, new KeySubmission(s, policy, clock), new KeyLookup(s, policy));
  }

  /** A fresh, migrated database. */
  abstract javax.sql.DataSource dataSource();

  private Env env() {
    return env(KeyserverPolicy.defaults());
  }

  static Fingerprint fpr(Identity id) {
    return Fingerprint.of(id.publicKey().getFingerprint());
  }

  @Test
  void findByEmails_answersAsFindDoesPerAddress() {
    Env e = env();
    for (Identity id : List.of(ALICE, BOB, CAROL)) {
      e.submit().submit(SyntheticKeys.publicKey(id));
    }
    List<String> emails = List.of("ALICE@example.org", "bob@example.org", "nobody@example.org");
    var got = e.lookup().findByEmails(emails);
    assertThat(got).containsOnlyKeys("alice@example.org", "bob@example.org");
    for (String m : got.keySet()) {
      assertThat(got.get(m)).isEqualTo(e.lookup().find(new KeyQuery.ByEmail(m)));
    }
    assertThat(got.get("alice@example.org")).extracting(StoredKeyring::fingerprint)
        .containsExactly(A);
  }

  @Test
  void submit_newKey_isAddedAndFoundEveryWay() {
    Env e = env();
    SubmissionResult r = e.submit().submit(SyntheticKeys.publicKey(ALICE));
    assertThat(r.outcomes()).extracting(SubmissionResult.KeyOutcome::status)
        .containsExactly(Status.ADDED);
    StoredKeyring k = e.store().find(A).orElseThrow();
    Fingerprint sub = k.index().subkeys().get(0);
    assertThat(e.lookup().find(new KeyQuery.ByFingerprint(A))).hasSize(1);
    assertThat(e.lookup().find(new KeyQuery.ByFingerprint(sub))).hasSize(1);
    assertThat(e.lookup().find(new KeyQuery.ByKeyId(A.keyId()))).hasSize(1);
    assertThat(e.lookup().find(new KeyQuery.ByKeyId(sub.keyId()))).hasSize(1);
    assertThat(e.lookup().find(new KeyQuery.ByShortKeyId(A.keyId().shortId()))).hasSize(1);
    assertThat(e.lookup().find(new KeyQuery.ByEmail("ALICE@example.org"))).hasSize(1);
    assertThat(e.lookup().find(new KeyQuery.ByUserId("alice ex", false))).hasSize(1);
    assertThat(e.lookup().find(new KeyQuery.ByUserId("100%_!", false))).isEmpty();
    assertThat(e.lookup().find(new KeyQuery.ByUserId("Alice Example <alice@example.org>",
        true))).hasSize(1);
    assertThat(e.lookup().find(new KeyQuery.ByEmail("bob@example.org"))).isEmpty();
    assertThat(e.submit().submit(SyntheticKeys.publicKey(ALICE)).outcomes().get(0).status())
        .isEqualTo(Status.UNCHANGED);
  }

  @Test
  void submit_keyWithoutValidSelfSignedUserId_isRejected() {
    Env e = env();
    byte[] sig = enc(SyntheticKeys.certify(BOB, ALICE, ALICE.userId(), T0));
    byte[] data = concat(Fixtures.keyPacket(ALICE), SyntheticKeys.userIdPacket(ALICE.userId()),
        sig);
    SubmissionResult.KeyOutcome o = e.submit().submit(data).outcomes().get(0);
    assertThat(o.status()).isEqualTo(Status.REJECTED);
    assertThat(o.reason()).isEqualTo(ErrorKind.POLICY_VIOLATION);
    assertThat(e.store().count()).isZero();
  }

  @Test
  void submit_uploadOverLimit_failsTooLarge() {
    Env e = env();
    assertThatThrownBy(() -> e.submit().submit(new byte[KeyserverPolicy.defaults()
        .maxUploadBytes() + 1])).extracting(x -> ((PkiException) x).kind())
        .isEqualTo(ErrorKind.TOO_LARGE);
  }

  /** Bob certifies Alice; Alice's key arrives with the certification before or after Bob's key. */
  @Test
  void thirdParty_heldUntilIssuerArrives_thenSameResultInEitherOrder() {
    byte[] certified = SyntheticKeys.publicKey(ALICE,
        enc(SyntheticKeys.certify(BOB, ALICE, ALICE.userId(), T0.plusSeconds(30))));
    Env first = env();
    first.submit().submit(certified);
    assertThat(first.store().thirdPartyOn(A)).singleElement()
        .matches(t -> !t.verified());
    assertThat(first.store().certificationsOn(A)).allMatch(Certification::selfSignature);
    first.submit().submit(SyntheticKeys.publicKey(BOB));
    assertThat(first.store().thirdPartyOn(A)).singleElement().matches(ThirdPartySignature::verified);

    Env second = env();
    second.submit().submit(SyntheticKeys.publicKey(BOB));
    second.submit().submit(certified);

    StoredKeyring a1 = first.store().find(A).orElseThrow();
    StoredKeyring a2 = second.store().find(A).orElseThrow();
    assertThat(a1.served()).isEqualTo(a2.served());
    assertThat(a1.served().size()).isGreaterThan(a1.firstParty().size());
    List<Certification> onA = second.store().certificationsOn(A);
    assertThat(onA).filteredOn(c -> !c.selfSignature()).singleElement().satisfies(c -> {
      assertThat(c.issuer()).isEqualTo(B);
      assertThat(c.userId()).isEqualTo(ALICE.userId());
      assertThat(c.level()).isZero();
    });
    assertThat(second.store().certificationsBy(B)).hasSize(2); // Bob's self-cert + on Alice
    assertThat(second.store().keyStatus(A).orElseThrow().userIds())
        .containsExactly(ALICE.userId());
    // With serving of third-party certifications off, the certification is not served.
    KeyLookup selfOnly = new KeyLookup(second.store(), KeyserverPolicy.defaults()
        .withServeThirdParty(false));
    assertThat(selfOnly.servedBytes(a2)).isEqualTo(a2.firstParty().toByteArray());
  }

  @Test
  void hget_findsKeyBySksHashOfWhatThePolicyServes_alsoForRowsStoredBeforeTheHashes()
      throws Exception {
    javax.sql.DataSource ds = dataSource();
    JdbcKeyserverStore store = new JdbcKeyserverStore(ds);
    KeySubmission submit = new KeySubmission(store, KeyserverPolicy.defaults(), clock);
    KeyLookup served = new KeyLookup(store, KeyserverPolicy.defaults());
    KeyLookup selfOnly = new KeyLookup(store, KeyserverPolicy.defaults()
        .withServeThirdParty(false));
    submit.submit(SyntheticKeys.publicKey(BOB));
    submit.submit(SyntheticKeys.publicKey(ALICE,
        enc(SyntheticKeys.certify(BOB, ALICE, ALICE.userId(), T0.plusSeconds(30)))));
    StoredKeyring a = store.find(A).orElseThrow();
    String fullHash = SksKeyHash.of(a.served().toByteArray());
    String selfHash = SksKeyHash.of(a.firstParty().toByteArray());
    assertThat(fullHash).isNotEqualTo(selfHash);
    assertThat(served.sksHash(a)).isEqualTo(fullHash);
    assertThat(selfOnly.sksHash(a)).isEqualTo(selfHash);
    // Each policy finds the key by the hash of the bytes it serves, and only by that one.
    assertThat(served.find(new KeyQuery.ByHash(fullHash.toLowerCase(java.util.Locale.ROOT),
        false))).extracting(StoredKeyring::fingerprint).containsExactly(A);
    assertThat(served.find(new KeyQuery.ByHash(selfHash, false))).isEmpty();
    assertThat(selfOnly.find(new KeyQuery.ByHash(selfHash, false)))
        .extracting(StoredKeyring::fingerprint).containsExactly(A);
    assertThat(selfOnly.find(new KeyQuery.ByHash(fullHash, false))).isEmpty();
    String bobHash = served.sksHash(store.find(B).orElseThrow());
    assertThat(selfOnly.find(new KeyQuery.ByHash(bobHash, false)))
        .extracting(StoredKeyring::fingerprint).containsExactly(B);

    // Rows written before db-migrations V31 have no hashes until the store fills them in.
    try (var c = ds.getConnection(); var st = c.createStatement()) {
      st.executeUpdate("UPDATE ks_key SET sks_hash = NULL, sks_hash_first_party = NULL");
    }
    assertThat(served.find(new KeyQuery.ByHash(fullHash, false))).isEmpty();
    assertThat(store.fillMissingSksHashes()).isEqualTo(2);
    assertThat(store.fillMissingSksHashes()).isZero();
    assertThat(served.find(new KeyQuery.ByHash(fullHash, false)))
        .extracting(StoredKeyring::fingerprint).containsExactly(A);
    assertThat(selfOnly.find(new KeyQuery.ByHash(selfHash, false)))
        .extracting(StoredKeyring::fingerprint).containsExactly(A);
  }

  @Test
  void submitStream_keyRepeatedInTheBatchBeingWritten_isMergedInOrder() {
    // Batches (500 here) are verified one ahead of the write: key 3 again at position 501 (next
    // batch, while the first is in flight), certified by key 4 at position 502, key 520 twice
    // in its own batch, a blocked key, and a key that is already stored.
    Env e = env();
    int batch = 500;
    e.submit().importBatch(batch);
    int n = batch + 30;
    List<Identity> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(SyntheticKeys.identity("s" + i, "Stream " + i + " <s" + i + "@example.org>", T0));
    }
    e.submit().submit(SyntheticKeys.publicKey(ids.get(7)));
    Fingerprint blocked = fpr(ids.get(9));
    e.store().block(blocked, "test", "tester", T0);
    java.io.ByteArrayOutputStream dump = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < n; i++) {
      dump.writeBytes(SyntheticKeys.publicKey(ids.get(i)));
      if (i == batch) {
        dump.writeBytes(SyntheticKeys.publicKey(ids.get(3)));
        dump.writeBytes(SyntheticKeys.publicKey(ids.get(3), enc(SyntheticKeys.certify(ids.get(4),
            ids.get(3), ids.get(3).userId(), T0.plusSeconds(60)))));
      }
      if (i == 520) {
        dump.writeBytes(SyntheticKeys.publicKey(ids.get(520)));
      }
    }
    List<SubmissionResult.KeyOutcome> out = new ArrayList<>();
    e.submit().submitStream(new java.io.ByteArrayInputStream(dump.toByteArray()), 0, out::add);
    assertThat(out).hasSize(n + 3);
    assertThat(out.get(7).status()).isEqualTo(Status.UNCHANGED);
    assertThat(out.get(9).status()).isEqualTo(Status.REJECTED);
    assertThat(out.get(batch + 1).status()).isEqualTo(Status.UNCHANGED);
    assertThat(out.get(batch + 2).status()).isEqualTo(Status.UPDATED);
    assertThat(out.get(523).status()).isEqualTo(Status.UNCHANGED);
    assertThat(out).filteredOn(o -> o.status() == Status.ADDED).hasSize(n - 2);
    assertThat(e.store().count()).isEqualTo(n - 1);
    assertThat(e.store().thirdPartyOn(fpr(ids.get(3)))).singleElement()
        .matches(ThirdPartySignature::verified);
    assertThat(e.store().find(blocked)).isEmpty();
  }

  @Test
  void thirdParty_forgedCertificationFromPresentIssuer_isDropped() {
    Env e = env();
    e.submit().submit(SyntheticKeys.publicKey(BOB));
    // Carol signs but names Bob as issuer: must not verify against Bob's key.
    byte[] realByCarol = enc(SyntheticKeys.certify(CAROL, ALICE, ALICE.userId(), T0));
    byte[] forged = realByCarol.clone();
    byte[] carolFpr = CAROL.publicKey().getFingerprint();
    byte[] bobFpr = BOB.publicKey().getFingerprint();
    replace(forged, carolFpr, bobFpr);
    e.submit().submit(SyntheticKeys.publicKey(ALICE, forged));
    assertThat(e.store().thirdPartyOn(A)).isEmpty();
  }

  @Test
  void thirdParty_capKeepsNewest_andOneGoEqualsPieces() {
    KeyserverPolicy p = KeyserverPolicy.defaults();
    List<Identity> attackers = Fixtures.attackers(5);
    byte[] flood = SyntheticKeys.flood(ALICE, attackers, 600, T0.plusSeconds(10_000));
    Env oneGo = env(p);
    attackers.forEach(a -> oneGo.submit().submit(SyntheticKeys.publicKey(a)));
    oneGo.submit().submit(flood);

    Env pieces = env(p);
    for (int start = 0; start < 600; start += 150) {
      java.io.ByteArrayOutputStream sigs = new java.io.ByteArrayOutputStream();
      for (int i = start; i < start + 150; i++) {
        sigs.writeBytes(enc(SyntheticKeys.certify(attackers.get(i % 5), ALICE, ALICE.userId(),
            T0.plusSeconds(10_000 - i))));
      }
      pieces.submit().submit(SyntheticKeys.publicKey(ALICE, sigs.toByteArray()));
    }
    attackers.forEach(a -> pieces.submit().submit(SyntheticKeys.publicKey(a)));

    List<ThirdPartySignature> kept = oneGo.store().thirdPartyOn(A);
    assertThat(kept).hasSize(p.maxCertificationsPerUserId()).allMatch(ThirdPartySignature::verified);
    assertThat(kept).extracting(ThirdPartySignature::created)
        .allMatch(t -> !t.isBefore(T0.plusSeconds(10_000 - 99)));
    assertThat(pieces.store().find(A).orElseThrow().served())
        .isEqualTo(oneGo.store().find(A).orElseThrow().served());
  }

  @Test
  void revocationCertificate_takesEffectOnStoredKey_andIsRefusedForUnknownKey() {
    Env e = env();
    byte[] rev = enc(SyntheticKeys.revocation(ALICE, T0.plusSeconds(60)));
    assertThat(e.submit().submit(rev).outcomes().get(0).status()).isEqualTo(Status.REJECTED);
    e.submit().submit(SyntheticKeys.publicKey(ALICE));
    assertThat(e.submit().submit(rev).outcomes().get(0).status()).isEqualTo(Status.UPDATED);
    assertThat(e.store().find(A).orElseThrow().index().revoked()).isTrue();
  }

  @Test
  void remove_blocksReimportUntilAllowed_andIsAudited() {
    Env e = env();
    KeyAdministration admin = new KeyAdministration(e.store(),
        (actor, action, target, outcome, detail) -> audit.add(action + " " + outcome + " "
            + target), clock);
    e.submit().submit(SyntheticKeys.publicKey(ALICE));
    admin.remove(A, "root", "GDPR request #7");
    assertThat(e.store().find(A)).isEmpty();
    SubmissionResult.KeyOutcome o = e.submit().submit(SyntheticKeys.publicKey(ALICE))
        .outcomes().get(0);
    assertThat(o.status()).isEqualTo(Status.REJECTED);
    assertThat(o.reason()).isEqualTo(ErrorKind.FORBIDDEN);
    assertThatThrownBy(() -> admin.remove(A, "root", "again")).isInstanceOf(PkiException.class);
    admin.allow(A, "root");
    assertThat(e.submit().submit(SyntheticKeys.publicKey(ALICE)).outcomes().get(0).status())
        .isEqualTo(Status.ADDED);
    assertThat(audit).contains("key.remove " + AuditLog.SUCCESS + " " + A.upperHex(),
        "key.allow " + AuditLog.SUCCESS + " " + A.upperHex());
  }

  @Test
  void findPrimaryByKeyId_andExportIterateAll() {
    Env e = env();
    e.submit().submit(concat(SyntheticKeys.publicKey(ALICE), SyntheticKeys.publicKey(BOB)));
    assertThat(e.store().findPrimaryByKeyId(new KeyId(A.keyId().value()))).hasSize(1);
    List<Fingerprint> all = new ArrayList<>();
    e.store().forEach(k -> all.add(k.fingerprint()));
    assertThat(all).containsExactlyInAnyOrder(A, B);
  }

  private static void replace(byte[] data, byte[] from, byte[] to) {
    for (int i = 0; i + from.length <= data.length; i++) {
      if (java.util.Arrays.equals(data, i, i + from.length, from, 0, from.length)) {
        System.arraycopy(to, 0, data, i, to.length);
      }
    }
  }
}
