package org.keyhaven.common;

import java.util.HexFormat;
import java.util.Locale;

/** Lower-case hex encoding and strict decoding. */
public final class Hex {
  private static final HexFormat LOWER = HexFormat.of();

  private Hex() {}

  public static String encode(byte[] bytes) {
    return LOWER.formatHex(bytes);
  }

  /** Decodes hex (either case); anything else is {@link ErrorKind#MALFORMED}. */
  public static byte[] decode(String hex) {
    try {
      return LOWER.parseHex(hex.toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw PkiException.malformed("'%s' is not a hexadecimal string", truncate(hex));
    }
  }

  /** True for a non-empty string of hex digits only (either case). */
  public static boolean isHex(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  static String truncate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
