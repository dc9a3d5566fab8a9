package org.keyhaven.ca.crl;

import java.math.BigInteger;
import java.time.Instant;
import org.keyhaven.ca.CaId;
import org.keyhaven.common.Bytes;

/**
 * A signed CRL as stored.
 *
 * @param baseNumber for a delta CRL the cRLNumber of its base (deltaCRLIndicator), else 0
 * @param eventWatermark the newest revocation event the CRL reflects
 */
public record StoredCrl(CaId caId, BigInteger number, CrlKind kind, BigInteger baseNumber,
    long eventWatermark, Instant thisUpdate, Instant nextUpdate, int entries, Bytes der) {}
