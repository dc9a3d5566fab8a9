package org.keyhaven.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Job leases and the change feed between two "nodes" sharing one database. */
abstract class ClusterContract {
  abstract DataSource newDatabase();

  static final class MutableClock extends Clock {
    Instant now = Instant.parse("2026-11-24T12:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void lease_isExclusive_renewable_andMovesWhenTheHolderStopsRenewing() {
    DataSource db = newDatabase();
    MutableClock clock = new MutableClock();
    JobLeases a = new JobLeases(db, clock, "node-a");
    JobLeases b = new JobLeases(db, clock, "node-b");
    assertThat(a.tryAcquire("crl", Duration.ofSeconds(30))).isTrue();
    assertThat(b.tryAcquire("crl", Duration.ofSeconds(30))).isFalse();
    clock.now = clock.now.plusSeconds(20);
    assertThat(a.tryAcquire("crl", Duration.ofSeconds(30))).isTrue(); // renew
    clock.now = clock.now.plusSeconds(20);
    assertThat(b.tryAcquire("crl", Duration.ofSeconds(30))).isFalse(); // renewed lease still valid
    clock.now = clock.now.plusSeconds(31); // node-a died: no renewal
    assertThat(b.tryAcquire("crl", Duration.ofSeconds(30))).isTrue();
    assertThat(a.tryAcquire("crl", Duration.ofSeconds(30))).isFalse();
    b.release("crl");
    assertThat(a.tryAcquire("crl", Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void leasedJobs_runOnOneNodeOnly_andMoveWhenTheHolderCloses() throws InterruptedException {
    DataSource db = newDatabase();
    Clock clock = Clock.systemUTC();
    var runsA = new java.util.concurrent.atomic.AtomicInteger();
    var runsB = new java.util.concurrent.atomic.AtomicInteger();
    var nodeRunsB = new java.util.concurrent.atomic.AtomicInteger();
    var meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    LeasedJobs a = new LeasedJobs(new JobLeases(db, clock, "node-a"), meters);
    LeasedJobs b = new LeasedJobs(new JobLeases(db, clock, "node-b"),
        new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    try {
      a.cluster("tick", Duration.ZERO, Duration.ofMillis(50), runsA::incrementAndGet);
      Thread.sleep(200); // a takes the lease first
      b.cluster("tick", Duration.ZERO, Duration.ofMillis(50), runsB::incrementAndGet);
      b.node("local", Duration.ZERO, Duration.ofMillis(50), nodeRunsB::incrementAndGet);
      await(() -> runsA.get() > 3 && nodeRunsB.get() > 3);
      assertThat(runsB.get()).isZero();
      assertThat(a.holds("tick")).isTrue();
      assertThat(b.holds("tick")).isFalse();
      assertThat(meters.get("keyhaven_job_runs").tag("job", "tick").counter().count())
          .isEqualTo(runsA.get(), org.assertj.core.data.Offset.offset(1.0));
      a.close(); // releases the lease: b takes over on its next tick, without waiting for expiry
      int atClose = runsA.get();
      // Well within the 5 s lease time: only the release can explain b's runs.
      await(() -> runsB.get() > 3);
      assertThat(runsA.get()).isEqualTo(atClose);
      assertThat(b.holds("tick")).isTrue();
    } finally {
      a.close();
      b.close();
    }
  }

  /** Waits up to 4 s (less than the shortest lease time) for {@code condition}. */
  private static void await(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + 4_000_000_000L;
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within 4 s").isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  @Test
  void changeFeed_deliversEventsFromAnyNodeInOrder_onlyOnce() {
    DataSource db = newDatabase();
    Clock clock = Clock.systemUTC();
    try (ChangeFeed a = new ChangeFeed(db, clock, "node-a");
        ChangeFeed b = new ChangeFeed(db, clock, "node-b")) {
      List<String> seenByB = new CopyOnWriteArrayList<>();
      b.subscribe("revocation", seenByB::add);
      b.subscribe("key", k -> seenByB.add("key:" + k));
      a.publish("revocation", "ca-mail/0a1b");
      a.publish("key", "ABCD");
      a.publish("revocation", "ca-mail/0c2d");
      assertThat(b.poll()).isEqualTo(3);
      assertThat(seenByB).containsExactly("ca-mail/0a1b", "key:ABCD", "ca-mail/0c2d");
      assertThat(b.poll()).isZero();
      assertThat(seenByB).hasSize(3);
      // A node's own events were applied when it published them: not delivered again.
      List<String> seenByA = new CopyOnWriteArrayList<>();
      a.subscribe("key", seenByA::add);
      b.publish("key", "FROM-B");
      a.publish("key", "FROM-A");
      assertThat(a.poll()).isEqualTo(1);
      assertThat(seenByA).containsExactly("FROM-B");
      assertThat(b.poll()).isEqualTo(1);
      assertThat(seenByB).last().isEqualTo("key:FROM-A");
    }
  }
}
