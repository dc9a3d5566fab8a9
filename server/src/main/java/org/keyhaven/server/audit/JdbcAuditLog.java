package org.keyhaven.server.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.Hex;
import org.keyhaven.common.PkiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit log in the database, as a hash chain: each entry stores the SHA-256 of the previous
 * entry, and its own hash covers that and all its fields. Altering, deleting or reordering a row
 * breaks the chain at that row; {@link #verify()} finds the first break.
 */
public final class JdbcAuditLog implements AuditLog {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcAuditLog.class);
  static final String GENESIS = "0".repeat(64);
  private static final int MAX_FIELD = 1000;
  private static final int MAX_DETAIL = 4000;

  private final DataSource dataSource;
  private final Clock clock;

  public JdbcAuditLog(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** One entry waiting to be appended, and what became of it. */
  private static final class Pending {
    final Instant at;
    final String actor;
    final String action;
    final String target;
    final String outcome;
    final String detail;
    final Writes writes;
    boolean done;
    RuntimeException error;

    Pending(Instant at, String actor, String action, String target, String outcome, String detail,
        Writes writes) {
      this.writes = writes;
      this.at = at;
      this.actor = actor;
      this.action = action;
      this.target = target;
      this.outcome = outcome;
      this.detail = detail;
    }
  }

  // Group commit: appends serialise on the head row, so concurrent callers would otherwise queue
  // on the database's row lock one commit at a time. Instead, whoever finds no append in flight
  // writes everything queued so far in one transaction, and the others wait for that commit.
  // Every caller still returns only after its own entry is committed.
  private final ReentrantLock appendLock = new ReentrantLock();
  private final Condition appended = appendLock.newCondition();
  private List<Pending> queued = new ArrayList<>();
  private boolean writing;

  @Override
  public void record(String actor, String action, String target, String outcome, String detail) {
    append(actor, action, target, outcome, detail, null);
  }

  @Override
  public Optional<DataSource> database() {
    return Optional.of(dataSource);
  }

  /**
   * Appends the entry and runs {@code writes} in the transaction that appends it, so another
   * store's rows (an issued certificate) share the group commit: one commit per batch of callers
   * instead of one per caller and store, and every caller still returns only after its rows and
   * its entry are committed.
   */
  @Override
  public void recordWith(Writes writes, String actor, String action, String target,
      String outcome, String detail) {
    append(actor, action, target, outcome, detail, java.util.Objects.requireNonNull(writes));
  }

  private void append(String actor, String action, String target, String outcome, String detail,
      Writes writes) {
    // Databases keep microseconds; hash what will be read back.
    Pending me = new Pending(clock.instant().truncatedTo(ChronoUnit.MICROS), clip(actor, 200),
        clip(action, 100), clip(target, MAX_FIELD), clip(outcome, 20),
        detail == null ? null : clip(detail, MAX_DETAIL), writes);
    List<Pending> batch;
    appendLock.lock();
    try {
      queued.add(me);
      while (writing && !me.done) {
        appended.awaitUninterruptibly();
      }
      if (me.done) {
        rethrow(me);
        return;
      }
      writing = true;
      batch = queued;
      queued = new ArrayList<>();
    } finally {
      appendLock.unlock();
    }
    try {
      writeBatch(batch);
    } finally {
      appendLock.lock();
      try {
        for (Pending p : batch) {
          p.done = true;
        }
        writing = false;
        appended.signalAll();
      } finally {
        appendLock.unlock();
      }
    }
    rethrow(me);
  }

  private static void rethrow(Pending p) {
    if (p.error != null) {
      throw p.error;
    }
  }

  /** Appends the batch in one transaction; if that fails, each entry alone, so one bad entry fails only its caller. */
  private void writeBatch(List<Pending> batch) {
    try {
      append(batch);
      return;
    } catch (SQLException | RuntimeException e) {
      if (batch.size() == 1) {
        fail(batch.get(0), e);
        return;
      }
    }
    for (Pending p : batch) {
      try {
        append(List.of(p));
      } catch (SQLException | RuntimeException e) {
        fail(p, e);
      }
    }
  }

  private static void fail(Pending p, Exception e) {
    if (p.writes != null && e instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
      // The caller's own rows collide (a unique constraint): its conflict, not a broken log.
      LOG.warn("{} {}: a row already exists, nothing committed", p.action, p.target);
      p.error = PkiException.conflict("%s %s: already exists", p.action, p.target);
      return;
    }
    LOG.error("audit append failed for {} {}", p.action, p.target, e);
    p.error = PkiException.internal(e, "cannot write the audit log");
  }

  private void append(List<Pending> batch) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        long seq;
        String prev;
        // Locking the head row serialises appends across nodes. An UPDATE takes the same row
        // lock as SELECT ... FOR UPDATE on both databases, but H2 keeps it in its per-session
        // statement cache, where it parsed FOR UPDATE again on every append.
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE audit_head SET last_seq = last_seq WHERE id = 1")) {
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT last_seq, last_hash FROM audit_head WHERE id = 1");
            ResultSet rs = ps.executeQuery()) {
          rs.next();
          seq = rs.getLong(1);
          prev = rs.getString(2);
        }
        for (Pending p : batch) {
          if (p.writes != null) {
            p.writes.write(c);
          }
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO audit_log (seq, at, actor, action, target, outcome, detail,"
                    + " prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
          for (Pending p : batch) {
            seq++;
            String hash = hash(seq, p.at, p.actor, p.action, p.target, p.outcome, p.detail, prev);
            ps.setLong(1, seq);
            ps.setTimestamp(2, Timestamp.from(p.at));
            ps.setString(3, p.actor);
            ps.setString(4, p.action);
            ps.setString(5, p.target);
            ps.setString(6, p.outcome);
            ps.setString(7, p.detail);
            ps.setString(8, prev);
            ps.setString(9, hash);
            ps.addBatch();
            prev = hash;
          }
          ps.executeBatch();
        }
        try (PreparedStatement ps =
            c.prepareStatement("UPDATE audit_head SET last_seq = ?, last_hash = ? WHERE id = 1")) {
          ps.setLong(1, seq);
          ps.setString(2, prev);
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /** Entries with {@code seq > afterSeq}, oldest first, at most {@code limit}. */
  public List<AuditEntry> list(long afterSeq, int limit) {
    List<AuditEntry> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT seq, at, actor, action, target, outcome, detail, prev_hash, entry_hash"
                    + " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT ?")) {
      ps.setLong(1, afterSeq);
      ps.setInt(2, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot read the audit log");
    }
  }

  /** Walks the whole chain and reports the first broken link. */
  public ChainCheck verify() {
    try (Connection c = dataSource.getConnection()) {
      long headSeq;
      String headHash;
      try (PreparedStatement ps =
              c.prepareStatement("SELECT last_seq, last_hash FROM audit_head WHERE id = 1");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        headSeq = rs.getLong(1);
        headHash = rs.getString(2);
      }
      long expectedSeq = 1;
      String prev = GENESIS;
      long checked = 0;
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT seq, at, actor, action, target, outcome, detail, prev_hash, entry_hash"
                  + " FROM audit_log ORDER BY seq")) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            AuditEntry e = read(rs);
            if (e.seq() != expectedSeq) {
              return broken(checked, expectedSeq, "entry " + expectedSeq + " is missing");
            }
            if (!e.prevHash().equals(prev)) {
              return broken(checked, e.seq(), "previous-hash link does not match entry " + (e.seq() - 1));
            }
            String recomputed =
                hash(e.seq(), e.at(), e.actor(), e.action(), e.target(), e.outcome(), e.detail(), prev);
            if (!recomputed.equals(e.entryHash())) {
              return broken(checked, e.seq(), "entry " + e.seq() + " was altered");
            }
            prev = e.entryHash();
            expectedSeq++;
            checked++;
          }
        }
      }
      if (expectedSeq - 1 != headSeq || !prev.equals(headHash)) {
        return broken(checked, expectedSeq, "entries after " + (expectedSeq - 1) + " were removed");
      }
      return new ChainCheck(true, checked, -1, null);
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot read the audit log");
    }
  }

  private static ChainCheck broken(long checked, long seq, String problem) {
    return new ChainCheck(false, checked, seq, problem);
  }

  private static AuditEntry read(ResultSet rs) throws SQLException {
    return new AuditEntry(
        rs.getLong(1),
        rs.getTimestamp(2).toInstant(),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        rs.getString(7),
        rs.getString(8),
        rs.getString(9));
  }

  /** SHA-256 over the previous hash and every field, each length-prefixed so fields cannot shift. */
  static String hash(
      long seq, Instant at, String actor, String action, String target, String outcome,
      String detail, String prev) {
    StringBuilder sb = new StringBuilder(prev).append('|').append(seq).append('|').append(at);
    for (String f : new String[] {actor, action, target, outcome, detail}) {
      sb.append('|');
      if (f == null) {
        sb.append('-');
      } else {
        sb.append(f.length()).append(':').append(f);
      }
    }
    try {
      return Hex.encode(
          MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String clip(String s, int max) {
    if (s == null) {
      return "-";
    }
    return s.length() <= max ? s : s.substring(0, max);
  }
}
