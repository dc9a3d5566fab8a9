package org.keyhaven.keyserver;

import java.util.Locale;
import org.keyhaven.common.PkiException;

/** A 64-bit OpenPGP key ID (RFC 4880 §3.3); {@link #shortId()} is the collision-prone 32-bit form. */
public record KeyId(long value) {

  /** Parses 16 hex digits, with or without {@code 0x}. */
  public static KeyId parse(String text) {
    String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (hex.length() != 16) {
      throw PkiException.malformed("a key ID has 16 hex digits, not %d", hex.length());
    }
    try {
      return new KeyId(Long.parseUnsignedLong(hex, 16));
    } catch (NumberFormatException e) {
      throw PkiException.malformed("'%s' is not a hexadecimal key ID", hex);
    }
  }

  /** The low 32 bits, as a non-negative number. */
  public long shortId() {
    return value & 0xffffffffL;
  }

  /** Sixteen upper-case hex digits. */
  public String hex() {
    return String.format(Locale.ROOT, "%016X", value);
  }

  @Override
  public String toString() {
    return hex();
  }
}
