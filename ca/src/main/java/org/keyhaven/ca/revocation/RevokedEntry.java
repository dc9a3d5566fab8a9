package org.keyhaven.ca.revocation;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Optional;

/**
 * One certificate's revocation state as CRLs and OCSP need it. {@code reason} is empty when the
 * entry was released from hold (a delta CRL then lists it with removeFromCRL, RFC 5280 §5.3.1).
 */
public record RevokedEntry(BigInteger serial, Instant revokedAt,
    Optional<RevocationReason> reason, Optional<Instant> invalidityDate) {

  public boolean released() {
    return reason.isEmpty();
  }
}
