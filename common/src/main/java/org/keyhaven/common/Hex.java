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

  static String truncate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
