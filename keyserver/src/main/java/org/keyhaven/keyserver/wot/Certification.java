package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.Objects;

/**
 * A verified third-party signature over a user ID: a certification (signature classes 0x10–0x13,
 * {@code level} = class − 0x10) or a certification revocation (0x30). Adapters add only
 * signatures that verified; the calculator chooses which of them count at the evaluation time.
 *
 * @param expiresAt signature expiration time (null: never)
 * @param revocable the Revocable subpacket (RFC 4880 §5.2.3.12; default true)
 * @param trust trust-signature data, or null
 */
public record Certification(
    String issuer,
    String target,
    String userId,
    Instant created,
    Instant expiresAt,
    Kind kind,
    int level,
    boolean revocable,
    TrustSignature trust) {

  /** Certification or revocation of an earlier certification. */
  public enum Kind {
    CERTIFICATION,
    REVOCATION
  }

  public Certification {
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(kind, "kind");
    if (level < 0 || level > 3) {
      throw org.keyhaven.common.PkiException.malformed("certification level %d not in 0..3", level);
    }
  }

  /** A generic (0x10), revocable, non-expiring certification. */
  public static Certification of(String issuer, String target, String userId, Instant created) {
    return new Certification(issuer, target, userId, created, null, Kind.CERTIFICATION, 0, true,
        null);
  }

  /** A certification revocation (0x30) made at {@code created}. */
  public static Certification revocation(
      String issuer, String target, String userId, Instant created) {
    return new Certification(issuer, target, userId, created, null, Kind.REVOCATION, 0, true, null);
  }

  public Certification withLevel(int newLevel) {
    return new Certification(issuer, target, userId, created, expiresAt, kind, newLevel, revocable,
        trust);
  }

  public Certification withExpiry(Instant newExpiry) {
    return new Certification(issuer, target, userId, created, newExpiry, kind, level, revocable,
        trust);
  }

  public Certification withRevocable(boolean newRevocable) {
    return new Certification(issuer, target, userId, created, expiresAt, kind, level, newRevocable,
        trust);
  }

  public boolean isExpiredAt(Instant at) {
    return expiresAt != null && !expiresAt.isAfter(at);
  }
}
