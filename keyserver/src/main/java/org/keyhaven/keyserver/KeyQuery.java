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

  /** A user ID: exactly equal (ignoring case) when {@code exact}, otherwise a substring match. */
  record ByUserId(String text, boolean exact) implements KeyQuery {}
}
