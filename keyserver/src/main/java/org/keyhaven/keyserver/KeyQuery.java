package org.keyhaven.keyserver;

import java.util.Locale;

/** What a lookup asks for: a closed set, so every store answers every kind (hagrid's model). */
public sealed interface KeyQuery {

  /** A primary or subkey fingerprint. */
  record ByFingerprint(Fingerprint fingerprint) implements KeyQuery {}

  /** A 64-bit primary or subkey key ID. */
  record ByKeyId(KeyId keyId) implements KeyQuery {}

  /** A 32-bit key ID (low 32 bits of the 64-bit ID); collision-prone, answered for SKS parity. */
  record ByShortKeyId(long shortId) implements KeyQuery {}

  /** An exact e-mail address, compared case-insensitively. */
  record ByEmail(String email) implements KeyQuery {
    public ByEmail {
      email = email.toLowerCase(Locale.ROOT);
    }
  }

  /**
   * An SKS key hash ({@code op=hget}): 32 hex digits, upper-cased here. {@code firstPartyForm}
   * picks the hash of the form served when third-party certifications are not served.
   */
  record ByHash(String hash, boolean firstPartyForm) implements KeyQuery {
    public ByHash {
      hash = hash.toUpperCase(Locale.ROOT);
    }
  }

  /** A user ID: exactly equal (ignoring case) when {@code exact}, otherwise a substring match. */
  record ByUserId(String text, boolean exact) implements KeyQuery {}
}
