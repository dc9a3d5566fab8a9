package org.keyhaven.keyserver.hkp;

import org.keyhaven.keyserver.KeyQuery;

/**
 * A parsed {@code /pks/lookup} request.
 *
 * @param op the operation
 * @param query what to find; null for {@code stats}
 * @param machineReadable {@code options=mr}
 * @param noModify {@code options=nm} (accepted, meaningless for lookups)
 * @param showFingerprints {@code fingerprint=on}
 * @param exact {@code exact=on}
 */
public record HkpRequest(
    HkpOp op,
    KeyQuery query,
    boolean machineReadable,
    boolean noModify,
    boolean showFingerprints,
    boolean exact) {}
