package org.keyhaven.keyserver.wot;

import java.util.Locale;
import org.keyhaven.common.PkiException;

/** Normalises OpenPGP fingerprints to upper-case hex without spaces (v3: 32, v4: 40, v6: 64). */
public final class Fingerprints {

  private Fingerprints() {}

  /** Returns the canonical form of {@code text}, or throws MALFORMED naming the input. */
  public static String normalize(String text) {
    if (text == null) {
      throw PkiException.malformed("fingerprint is missing");
    }
    String s = text.replace(" ", "").toUpperCase(Locale.ROOT);
    if (s.startsWith("0X")) {
      s = s.substring(2);
    }
    int n = s.length();
    if (n != 32 && n != 40 && n != 64) {
      throw PkiException.malformed(
          "fingerprint '%s' must be 40 (v4) or 64 (v6) hex digits", abbreviate(text));
    }
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) {
        throw PkiException.malformed("fingerprint '%s' is not hexadecimal", abbreviate(text));
      }
    }
    return s;
  }

  private static String abbreviate(String s) {
    return s.length() > 80 ? s.substring(0, 80) + "…" : s;
  }
}
