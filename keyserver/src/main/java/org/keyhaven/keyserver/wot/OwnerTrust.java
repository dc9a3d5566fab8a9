package org.keyhaven.keyserver.wot;

import java.util.Locale;
import org.keyhaven.common.PkiException;

/** How much a key's owner is trusted to certify others, with GnuPG's numeric codes and letters. */
public enum OwnerTrust {
  UNKNOWN(0, '-'),
  UNDEFINED(2, 'q'),
  NEVER(3, 'n'),
  MARGINAL(4, 'm'),
  FULL(5, 'f'),
  ULTIMATE(6, 'u');

  private final int code;
  private final char letter;

  OwnerTrust(int code, char letter) {
    this.code = code;
    this.letter = letter;
  }

  /** The value used by {@code gpg --import-ownertrust} ({@code FPR:code:}). */
  public int code() {
    return code;
  }

  public char letter() {
    return letter;
  }

  /** Lower-case word used on the wire ({@code "ultimate"}, {@code "full"} …). */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Maps a {@code --import-ownertrust} code; 1 ("expired") is read as unknown, as GnuPG does. */
  public static OwnerTrust ofCode(int code) {
    for (OwnerTrust t : values()) {
      if (t.code == code) {
        return t;
      }
    }
    if (code == 1) {
      return UNKNOWN;
    }
    throw PkiException.malformed("unknown owner-trust code %d (expected 0, 2-6)", code);
  }

  /** Parses a word such as {@code "marginal"} (case-insensitive). */
  public static OwnerTrust parse(String word) {
    if (word != null) {
      for (OwnerTrust t : values()) {
        if (t.word().equalsIgnoreCase(word.trim())) {
          return t;
        }
      }
    }
    throw PkiException.malformed(
        "unknown owner trust '%s' (expected ultimate, full, marginal, never, undefined or unknown)",
        word);
  }
}
