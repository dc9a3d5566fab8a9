package org.keyhaven.keyserver;

import java.time.Instant;
import org.keyhaven.common.Bytes;

/**
 * A key as the store holds it.
 *
 * @param fingerprint primary key fingerprint
 * @param index what is searchable about it
 * @param firstParty the verified first-party material, canonical encoding (binary)
 * @param served the key as served when third-party certifications are served: first-party material
 *     plus the kept verified certifications (binary)
 * @param firstSeen when this server first stored it
 * @param updated when it last changed
 */
public record StoredKeyring(
    Fingerprint fingerprint,
    KeyIndex index,
    Bytes firstParty,
    Bytes served,
    Instant firstSeen,
    Instant updated) {}
