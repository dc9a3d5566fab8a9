package org.keyhaven.common;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Port for the append-only, hash-chained audit log. Domain services record security-relevant
 * actions through it; the server supplies the JDBC implementation.
 */
public interface AuditLog {
  /** Outcome words used in the log. */
  String SUCCESS = "success";
  String FAILURE = "failure";
  String INTENT = "intent";

  /**
   * Appends one entry. {@code actor} is the token name (or "system", or "self-service:..."),
   * {@code action} a dotted verb such as {@code cert.issue}, {@code target} what it acted on.
   * {@code detail} may be null; it must never contain secrets.
   */
  void record(String actor, String action, String target, String outcome, String detail);

  /** Writes of another store, to be committed in the same transaction as an audit entry. */
  @FunctionalInterface
  interface Writes {
    /** Runs on {@code c} inside the audit transaction; may run again after a rollback. */
    void write(Connection c) throws SQLException;
  }

  /**
   * The database this log appends to, when it can commit other writes together with an entry
   * ({@link #recordWith}); empty for a log that is not in a database (the default).
   */
  default Optional<DataSource> database() {
    return Optional.empty();
  }

  /**
   * Appends one entry and runs {@code writes} in the same transaction on {@link #database()}: when
   * this returns both are committed, and when it throws neither is (CONFLICT when the writes
   * violate a unique constraint, INTERNAL otherwise). Only for a log with a database.
   */
  default void recordWith(Writes writes, String actor, String action, String target,
      String outcome, String detail) {
    throw new UnsupportedOperationException("this audit log is not in a database");
  }
}
