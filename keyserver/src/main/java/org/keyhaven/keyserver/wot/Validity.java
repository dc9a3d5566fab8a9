package org.keyhaven.keyserver.wot;

import java.util.Locale;
import org.keyhaven.common.PkiException;

/**
 * The validity of a key or user ID as GnuPG lists it ({@code --with-colons} field 2), in rising
 * order of trust for the computed values {@code UNKNOWN < UNDEFINED < MARGINAL < FULL < ULTIMATE}.
 */
public enum Validity {
  /** {@code -}: no trusted introducer certified it. */
  UNKNOWN('-'),
  /** {@code q}: certified, but only by fully valid keys whose owners are not trusted. */
  UNDEFINED('q'),
  /** {@code n}: never valid (not produced by the classic model; kept for the wire). */
  NEVER('n'),
  MARGINAL('m'),
  FULL('f'),
  ULTIMATE('u'),
  /** {@code e}: the key (or user ID self-signature) has expired at the evaluation time. */
  EXPIRED('e'),
  /** {@code r}: the key or user ID is revoked. */
  REVOKED('r');

  private final char letter;

  Validity(char letter) {
    this.letter = letter;
  }

  public char letter() {
    return letter;
  }

  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** True for the two values that let an introducer's certifications count. */
  public boolean isAtLeastFull() {
    return this == FULL || this == ULTIMATE;
  }

  /** Maps a GnuPG listing letter; {@code o} (new) is read as unknown. */
  public static Validity ofLetter(char letter) {
    if (letter == 'o') {
      return UNKNOWN;
    }
    for (Validity v : values()) {
      if (v.letter == letter) {
        return v;
      }
    }
    throw PkiException.malformed("unknown validity letter '%s'", letter);
  }
}
