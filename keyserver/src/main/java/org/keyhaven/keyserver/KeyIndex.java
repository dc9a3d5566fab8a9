package org.keyhaven.keyserver;

import java.time.Instant;
import java.util.List;

/**
 * What the store indexes about a key, derived from its verified self-signatures only.
 *
 * @param version key version (4 or 6)
 * @param algorithm OpenPGP public-key algorithm number (RFC 9580 §9.1)
 * @param bits key size in bits
 * @param created key creation time
 * @param expires key expiry from the newest self-signature, or null for none
 * @param revoked true when a verified key revocation is present
 * @param userIds user IDs in stored order
 * @param subkeys subkey fingerprints
 */
public record KeyIndex(
    int version,
    int algorithm,
    int bits,
    Instant created,
    Instant expires,
    boolean revoked,
    List<IndexedUserId> userIds,
    List<Fingerprint> subkeys) {

  public KeyIndex {
    userIds = List.copyOf(userIds);
    subkeys = List.copyOf(subkeys);
  }

  /** True when the key has expired at {@code now}. */
  public boolean expiredAt(Instant now) {
    return expires != null && !expires.isAfter(now);
  }

  /**
   * One user ID as indexed.
   *
   * @param text the user ID as UTF-8 text (invalid bytes replaced); "[photo]" for attributes
   * @param email lower-case e-mail address it contains, or null
   * @param created creation time of its newest self-certification
   * @param expires expiry of that certification, or null
   * @param revoked true when its newest self-signature is a revocation
   * @param attribute true for a user attribute (photo ID) rather than a user ID
   */
  public record IndexedUserId(
      String text, String email, Instant created, Instant expires, boolean revoked,
      boolean attribute) {}
}
