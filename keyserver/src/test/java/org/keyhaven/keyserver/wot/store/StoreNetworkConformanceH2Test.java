package org.keyhaven.keyserver.wot.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.keyhaven.keyserver.Fixtures;
import org.keyhaven.keyserver.KeySubmission;
import org.keyhaven.keyserver.KeyserverPolicy;
import org.keyhaven.keyserver.store.CertificationStore;
import org.keyhaven.keyserver.store.jdbc.JdbcKeyserverStore;
import org.keyhaven.keyserver.wot.Network;
import org.keyhaven.keyserver.wot.openpgp.GnupgOracleConformanceTest;
import org.keyhaven.keyserver.wot.openpgp.OracleFixture;

/**
 * The oracle keyrings submitted to the keyserver (KeySubmission on H2), read back through the
 * CertificationStore port by {@link StoreNetworkLoader}: the answer must still equal GnuPG's.
 */
class StoreNetworkConformanceH2Test {

  static Stream<OracleFixture> fixtures() {
    Path root = Path.of("src/test/resources/vectors/wot");
    return Stream.of("scenarios", "200", "200-m2c2d3l1-local")
        .map(n -> new OracleFixture("store/" + n, root.resolve(n)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void submittedKeyring_evaluatesLikeGnupg(OracleFixture fixture) throws Exception {
    Instant at = fixture.parameters().at();
    Clock clock = Clock.fixed(at, ZoneOffset.UTC);
    JdbcKeyserverStore store = new JdbcKeyserverStore(Fixtures.h2());
    new KeySubmission(store, KeyserverPolicy.defaults(), clock)
        .submit(Files.readAllBytes(fixture.dir().resolve("keyring.asc")));
    Network network = StoreNetworkLoader.load(store);
    GnupgOracleConformanceTest.assertMatchesGnupg(fixture, network);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void reloadingNetwork_readsOnlyWhenInvalidated(OracleFixture fixture) throws Exception {
    JdbcKeyserverStore jdbc = new JdbcKeyserverStore(Fixtures.h2());
    AtomicInteger loads = new AtomicInteger();
    CertificationStore counting = loadingThrough(jdbc, loads::incrementAndGet);
    Clock clock = Clock.fixed(fixture.parameters().at(), ZoneOffset.UTC);
    ReloadingNetwork net = new ReloadingNetwork(counting, clock, Duration.ZERO);
    assertThat(net.get().keyCount()).isZero();
    new KeySubmission(jdbc, KeyserverPolicy.defaults(), clock)
        .submit(Files.readAllBytes(fixture.dir().resolve("keyring.asc")));
    assertThat(net.get().keyCount()).isZero(); // not invalidated: the snapshot stays
    net.invalidate();
    assertThat(net.get().keyCount()).isEqualTo(fixture.expected().get("keys").size());
    net.get();
    assertThat(loads).hasValue(2);
  }

  /**
   * With a reload interval, a slow reload runs in the background: readers get the previous
   * snapshot after at most maxWait instead of queueing behind the load, and see the new one once
   * it is done. The warm-up load alone does not hold the first reader to a stale snapshot.
   */
  @Test
  void reloadingNetwork_backgroundReload_neverHoldsReadersBeyondMaxWait() throws Exception {
    OracleFixture fixture = fixtures().findFirst().orElseThrow();
    JdbcKeyserverStore jdbc = new JdbcKeyserverStore(Fixtures.h2());
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean();
    CertificationStore gated = loadingThrough(jdbc, () -> {
      if (slow.get()) {
        try {
          release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
    Clock clock = Clock.fixed(fixture.parameters().at(), ZoneOffset.UTC);
    ReloadingNetwork net = new ReloadingNetwork(gated, Clock.systemUTC(), Duration.ofMillis(1),
        Duration.ofMillis(100));
    net.warm();
    new KeySubmission(jdbc, KeyserverPolicy.defaults(), clock)
        .submit(Files.readAllBytes(fixture.dir().resolve("keyring.asc")));
    net.invalidate();
    int keys = fixture.expected().get("keys").size();
    // The first reader after the warm-up waits for a fresh load, like a reader without warm-up.
    assertThat(net.get().keyCount()).isEqualTo(keys);

    slow.set(true);
    OracleFixture more = fixtures().skip(1).findFirst().orElseThrow();
    new KeySubmission(jdbc, KeyserverPolicy.defaults(), clock)
        .submit(Files.readAllBytes(more.dir().resolve("keyring.asc")));
    net.invalidate();
    Thread.sleep(5); // past minInterval (the clock is fixed; the interval counts from loadedAt)
    long t0 = System.nanoTime();
    assertThat(net.get().keyCount()).as("previous snapshot while the reload is blocked")
        .isEqualTo(keys);
    assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(2_000);
    release.countDown();
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (net.get().keyCount() == keys && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(net.get().keyCount()).isGreaterThan(keys);
  }

  /** The JDBC store, running {@code beforeLoad} whenever the whole network is read. */
  static CertificationStore loadingThrough(JdbcKeyserverStore jdbc, Runnable beforeLoad) {
    return new CertificationStore() {
      @Override
      public java.util.List<org.keyhaven.keyserver.store.Certification> certificationsOn(
          org.keyhaven.keyserver.Fingerprint t) {
        return jdbc.certificationsOn(t);
      }

      @Override
      public java.util.List<org.keyhaven.keyserver.store.Certification> certificationsBy(
          org.keyhaven.keyserver.Fingerprint i) {
        return jdbc.certificationsBy(i);
      }

      @Override
      public void forEachCertification(
          java.util.function.Consumer<org.keyhaven.keyserver.store.Certification> sink) {
        beforeLoad.run();
        jdbc.forEachCertification(sink);
      }

      @Override
      public java.util.Optional<org.keyhaven.keyserver.store.KeyStatus> keyStatus(
          org.keyhaven.keyserver.Fingerprint k) {
        return jdbc.keyStatus(k);
      }
    };
  }
}
