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
 * @param deltaBase true for a full CRL made on schedule, which delta CRLs use as their base
 */
public record StoredCrl(CaId caId, BigInteger number, CrlKind kind, BigInteger baseNumber,
    long eventWatermark, Instant thisUpdate, Instant nextUpdate, int entries, boolean deltaBase, Bytes der) {}
