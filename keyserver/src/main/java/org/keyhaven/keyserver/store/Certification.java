package org.keyhaven.keyserver.store;

import java.time.Instant;
import org.keyhaven.keyserver.Fingerprint;

/**
 * A verified signature binding an issuer to a user ID of a target key (RFC 9580 §5.2.1), as the
 * web of trust consumes it. Self-certifications have {@code issuer.equals(target)}. Only
 * signatures that verified against the issuer's key on this server appear here.
 *
 * @param issuer fingerprint of the key that made the signature
 * @param target fingerprint of the key whose user ID is certified
 * @param userId the certified user ID as text ("[photo]" for a user attribute)
 * @param created signature creation time
 * @param signatureType 0x10–0x13 for certifications (generic, persona, casual, positive), 0x30
 *     for a certification revocation
 * @param trustDepth trust signature depth (0 when not a trust signature, §5.2.3.21)
 * @param trustAmount trust amount (0 when not a trust signature; 60 partial, 120 complete)
 * @param trustRegex regular expression limiting a trust signature (§5.2.3.22), or null
 * @param expires signature expiry, or null for none
 * @param revocation true for a certification revocation (type 0x30)
 */
public record Certification(
    Fingerprint issuer,
    Fingerprint target,
    String userId,
    Instant created,
    int signatureType,
    int trustDepth,
    int trustAmount,
    String trustRegex,
    Instant expires,
    boolean revocation) {

  /** The certification level 0–3 of types 0x10–0x13 (§5.2.1); -1 for revocations. */
  public int level() {
    return revocation ? -1 : signatureType - 0x10;
  }

  /** True when the key certified its own user ID. */
  public boolean selfSignature() {
    return issuer.equals(target);
  }

  /** True for a trust signature (a delegation) rather than a plain certification. */
  public boolean isTrustSignature() {
    return trustDepth > 0 || trustAmount > 0;
  }
}
