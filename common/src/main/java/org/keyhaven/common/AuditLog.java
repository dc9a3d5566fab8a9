package org.keyhaven.common;

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
}
