package org.keyhaven.ca.ocsp;

import java.math.BigInteger;
import java.time.Instant;
import org.keyhaven.ca.CaId;

/** Storage port recording each delegated responder certificate issued (for the record). */
public interface ResponderLog {
  void record(CaId ca, BigInteger serial, Instant notBefore, Instant notAfter, byte[] der);
}
