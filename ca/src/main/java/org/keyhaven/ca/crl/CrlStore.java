package org.keyhaven.ca.crl;

import java.math.BigInteger;
import java.util.Optional;
import org.keyhaven.ca.CaId;

/** Storage port for signed CRLs and their per-CA number sequence. */
public interface CrlStore {
  /** Builds a CRL once its number is known. */
  interface Builder {
    StoredCrl build(BigInteger number);
  }

  /** The number of the newest stored CRL of {@code kind} (cheap: no DER is read). */
  Optional<BigInteger> latestNumber(CaId ca, CrlKind kind);

  /** The newest stored CRL of {@code kind} for {@code ca}. */
  Optional<StoredCrl> latest(CaId ca, CrlKind kind);

  /** The newest full CRL made on schedule (the base of delta CRLs). */
  Optional<StoredCrl> latestBase(CaId ca);

  /**
   * Draws the next cRLNumber of {@code ca}: strictly greater than any before, across processes
   * (full and delta CRLs share the sequence, RFC 5280 §5.2.4), and at least {@code atLeast}; lets
   * {@code builder} sign with it and stores the result, all in one transaction.
   */
  StoredCrl issue(CaId ca, long atLeast, Builder builder);
}
