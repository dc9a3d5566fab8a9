package org.keyhaven.server.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.testkit.TestDatabases;

/**
 * {@link JdbcAuditLog#recordWith}: another store's rows commit in the audit entry's transaction
 * (group commit included), both or neither, and one caller's conflicting rows fail only that
 * caller.
 */
class JdbcAuditLogWritesTest {

  private static AuditLog.Writes reserve(String serial) {
    return c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO serial_reservation (serial, ca_id, reserved_at) VALUES (?, ?, ?)")) {
        ps.setString(1, serial);
        ps.setString(2, "test-ca");
        ps.setTimestamp(3, Timestamp.from(Instant.now()));
        ps.executeUpdate();
      }
    };
  }

  private static boolean reserved(DataSource ds, String serial) throws Exception {
    try (Connection c = ds.getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT COUNT(*) FROM serial_reservation WHERE serial = ?")) {
      ps.setString(1, serial);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1) == 1;
      }
    }
  }

  @Test
  void writesAndEntryCommitTogether_andAConflictCommitsNeither() throws Exception {
    DataSource ds = TestDatabases.h2();
    JdbcAuditLog log = new JdbcAuditLog(ds, Clock.systemUTC());
    assertThat(log.database()).containsSame(ds);

    log.recordWith(reserve("0a"), "tester", "cert.issue", "ca/0a", AuditLog.SUCCESS, null);
    assertThat(reserved(ds, "0a")).isTrue();
    assertThat(log.list(0, 10)).extracting(AuditEntry::target).containsExactly("ca/0a");

    assertThatThrownBy(() -> log.recordWith(reserve("0a"), "tester", "cert.issue", "ca/0a-again",
        AuditLog.SUCCESS, null))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    assertThat(log.list(0, 10)).extracting(AuditEntry::target).containsExactly("ca/0a");
    assertThat(log.verify().intact()).isTrue();
  }

  @Test
  void concurrentCallers_h2_oneConflictFailsOnlyItsCaller() throws Exception {
    concurrentCallers(TestDatabases.h2());
  }

  @Test
  void concurrentCallers_postgres_oneConflictFailsOnlyItsCaller() throws Exception {
    concurrentCallers(TestDatabases.postgres());
  }

  private static void concurrentCallers(DataSource ds) throws Exception {
    JdbcAuditLog log = new JdbcAuditLog(ds, Clock.systemUTC());
    log.recordWith(reserve("dup"), "tester", "cert.issue", "first", AuditLog.SUCCESS, null);
    int threads = 8;
    int perThread = 25;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> futures = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      futures.add(pool.submit(() -> {
        start.await();
        int conflicts = 0;
        for (int i = 0; i < perThread; i++) {
          // Every tenth call of thread 0 collides with the row written above.
          String serial = thread == 0 && i % 10 == 0 ? "dup" : thread + "-" + i;
          try {
            log.recordWith(reserve(serial), "tester", "cert.issue", "t" + serial,
                AuditLog.SUCCESS, null);
            log.record("tester", "cert.other", "plain " + thread + "-" + i, AuditLog.INTENT, null);
          } catch (PkiException e) {
            assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
            conflicts++;
          }
        }
        return conflicts;
      }));
    }
    start.countDown();
    int conflicts = 0;
    for (Future<Integer> f : futures) {
      conflicts += f.get();
    }
    pool.shutdown();

    assertThat(conflicts).isEqualTo(3);
    int committed = threads * perThread - conflicts;
    ChainCheck check = log.verify();
    assertThat(check.intact()).as(String.valueOf(check.problem())).isTrue();
    // The first entry, one per committed recordWith and one plain entry after each of those.
    assertThat(check.entries()).isEqualTo(1L + 2L * committed);
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        if (!(t == 0 && i % 10 == 0)) {
          assertThat(reserved(ds, t + "-" + i)).as(t + "-" + i).isTrue();
        }
      }
    }
    assertThat(log.list(0, 1000)).extracting(AuditEntry::target).doesNotContain("tdup");
  }
}
