package org.keyhaven.ca.store;

import java.time.Instant;

/**
 * Revocation state of a certificate as stored: good, revoked or on hold, with the RFC 5280 §5.3.1
 * reason code, the revocation time and the optional invalidity date (§5.3.2).
 */
public record CertificateStatus(State state, Integer reasonCode, Instant revokedAt,
    Instant invalidityDate) {
  /** Stored state, with its column value. */
  public enum State {
    GOOD("good"),
    REVOKED("revoked"),
    HOLD("hold");

    private final String code;

    State(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static State ofCode(String code) {
      for (State s : values()) {
        if (s.code.equals(code)) {
          return s;
        }
      }
      throw org.keyhaven.common.PkiException.malformed(
          "unknown status '%s' (expected good, revoked or hold)", code);
    }
  }

  public static final CertificateStatus GOOD = new CertificateStatus(State.GOOD, null, null, null);
}
