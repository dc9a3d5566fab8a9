package org.keyhaven.ca.revocation;

import java.math.BigInteger;
import org.keyhaven.ca.CaId;

/**
 * Told after a status change is committed (OCSP cache invalidation, CRL regeneration). Must not
 * throw; it runs on the caller's thread and should hand slow work to another thread.
 */
public interface RevocationListener {
  void statusChanged(CaId issuer, BigInteger serial);
}
