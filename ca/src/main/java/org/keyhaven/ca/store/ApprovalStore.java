package org.keyhaven.ca.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.keyhaven.ca.Approval;

/** Pending two-person approvals of high-assurance issuance. */
public interface ApprovalStore {
  /** Stores a pending approval and returns its id. */
  long create(Approval approval);

  Optional<Approval> find(long id);

  /** Newest first; {@code status} null for all. */
  List<Approval> list(Approval.Status status, int limit);

  /**
   * Moves a pending approval to {@code status}; returns false if it was no longer pending (someone
   * else decided first).
   */
  boolean decide(long id, Approval.Status status, String decidedBy, Instant at, BigInteger serial,
      String reason);
}
