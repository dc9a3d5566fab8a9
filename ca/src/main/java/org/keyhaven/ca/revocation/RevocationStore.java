package org.keyhaven.ca.revocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.store.CertificateStatus;

/** Storage port for status changes, their event log, and self-service replay protection. */
public interface RevocationStore {
  /** What a status change records besides the new status. */
  enum Action {
    REVOKE("revoke"),
    HOLD("hold"),
    RELEASE("release");

    private final String code;

    Action(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }
  }

  /**
   * Sets the status of {@code serial} under {@code issuer} if it is still {@code expected}, and
   * appends the event, in one committed transaction (durable before this returns).
   *
   * @return false if the certificate is missing or its status changed concurrently
   */
  boolean change(CaId issuer, BigInteger serial, CertificateStatus.State expected,
      CertificateStatus next, Action action, String actor, Instant at);

  /** All currently revoked or held certificates of {@code issuer}, by serial. */
  List<RevokedEntry> revoked(CaId issuer);

  /**
   * The current state of every certificate of {@code issuer} with an event after {@code
   * watermark}; released holds come back with an empty reason.
   */
  List<RevokedEntry> changedSince(CaId issuer, long watermark);

  /** The id of the newest event of {@code issuer}, or 0. */
  long latestEvent(CaId issuer);

  /**
   * Records a self-service request nonce.
   *
   * @return false if the nonce was used before (a replay)
   */
  boolean useNonce(String nonce, BigInteger serial, Instant at);
}
