package org.keyhaven.keyserver.store;

import java.time.Instant;
import java.util.List;
import org.keyhaven.keyserver.Fingerprint;

/**
 * Key-level facts the web of trust needs besides certifications.
 *
 * @param fingerprint primary key fingerprint
 * @param created key creation time
 * @param expires key expiry from its newest self-signature, or null
 * @param revoked true when a verified key revocation is stored
 * @param userIds user IDs bound by a self-certification (revoked ones included)
 */
public record KeyStatus(
    Fingerprint fingerprint, Instant created, Instant expires, boolean revoked,
    List<String> userIds) {

  public KeyStatus {
    userIds = List.copyOf(userIds);
  }
}
