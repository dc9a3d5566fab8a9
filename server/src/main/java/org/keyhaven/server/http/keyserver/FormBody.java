package org.keyhaven.server.http.keyserver;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.keyhaven.common.PkiException;

/** Strict application/x-www-form-urlencoded field extraction (HTML 4.01 §17.13.4). */
final class FormBody {
  private FormBody() {}

  /** The first value of {@code name}, decoded ('+' is a space, %XX a UTF-8 byte), or null. */
  static String field(String body, String name) {
    for (String pair : body.split("&")) {
      int eq = pair.indexOf('=');
      String k = eq < 0 ? pair : pair.substring(0, eq);
      if (decode(k).equals(name)) {
        return eq < 0 ? "" : decode(pair.substring(eq + 1));
      }
    }
    return null;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw PkiException.malformed("the form body has a bad %%-escape");
    }
  }
}
