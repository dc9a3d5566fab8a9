package org.keyhaven.keyserver.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.Fixtures;
import org.keyhaven.keyserver.KeySubmission;
import org.keyhaven.keyserver.KeyserverPolicy;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;
import org.keyhaven.keyserver.store.KeyStatus;
import org.keyhaven.testkit.TestDatabases;

/** Bulk key statuses (the web-of-trust loader's read) agree with one-by-one reads, both ways. */
class KeyStatusesH2Test {
  @Test
  void keyStatuses_inListsAndScan_agreeWithKeyStatus() {
    JdbcKeyserverStore store = new JdbcKeyserverStore(TestDatabases.h2());
    KeySubmission submit = new KeySubmission(store, KeyserverPolicy.defaults(),
        Clock.fixed(Fixtures.T0.plusSeconds(3600), ZoneOffset.UTC));
    submit.submit(SyntheticKeys.publicKey(Fixtures.alice()));
    submit.submit(SyntheticKeys.publicKey(Fixtures.bob()));
    Fingerprint a = Fingerprint.of(Fixtures.alice().publicKey().getFingerprint());
    Fingerprint b = Fingerprint.of(Fixtures.bob().publicKey().getFingerprint());
    Fingerprint missing = Fingerprint.of(Fixtures.carol().publicKey().getFingerprint());

    Map<Fingerprint, KeyStatus> inLists = store.keyStatuses(List.of(a, missing));
    Map<Fingerprint, KeyStatus> scanned = store.scanKeyStatuses(Set.of(a.hex(), missing.hex()));

    assertThat(inLists).containsOnlyKeys(a).containsEntry(a, store.keyStatus(a).orElseThrow());
    assertThat(scanned).isEqualTo(inLists);
    assertThat(store.keyStatuses(List.of(a, b)).get(b)).isEqualTo(store.keyStatus(b).orElseThrow());
  }
}
