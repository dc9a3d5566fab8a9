package org.keyhaven.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.keyhaven.testkit.TestDatabases;

/**
 * Group commit must not change what the log says: every concurrent append lands exactly once, in
 * one unbroken chain, on one node and on two log instances sharing a database (two nodes).
 */
class JdbcAuditLogConcurrencyTest {

  @Test
  void concurrentAppends_h2_allLandOnceInOneIntactChain() throws Exception {
    DataSource ds = TestDatabases.h2();
    appendConcurrently(ds, 1);
  }

  @Test
  void concurrentAppendsFromTwoNodes_postgres_allLandOnceInOneIntactChain() throws Exception {
    DataSource ds = TestDatabases.postgres();
    appendConcurrently(ds, 2);
  }

  private static void appendConcurrently(DataSource ds, int nodes) throws Exception {
    List<JdbcAuditLog> logs = new ArrayList<>();
    for (int n = 0; n < nodes; n++) {
      logs.add(new JdbcAuditLog(ds, Clock.systemUTC()));
    }
    int threads = 16;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      JdbcAuditLog log = logs.get(t % nodes);
      int thread = t;
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < perThread; i++) {
          log.record("tester", "test.append", "t" + thread + "/" + i, "success", null);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();

    JdbcAuditLog reader = logs.get(0);
    ChainCheck check = reader.verify();
    assertThat(check.intact()).as(String.valueOf(check.problem())).isTrue();
    assertThat(check.entries()).isEqualTo((long) threads * perThread);
    Set<String> targets = new HashSet<>();
    for (AuditEntry e : reader.list(0, threads * perThread + 10)) {
      assertThat(targets.add(e.target())).as("appended once: " + e.target()).isTrue();
    }
    assertThat(targets).hasSize(threads * perThread);
  }
}
