package org.keyhaven.server.http.revocation;

import io.javalin.http.Context;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** RFC 9110 §5.6.7 HTTP-dates and the strong-ETag 304 check shared by OCSP and CRL routes. */
final class HttpDates {
  private HttpDates() {}

  static String format(Instant t) {
    return DateTimeFormatter.RFC_1123_DATE_TIME.format(t.atOffset(ZoneOffset.UTC));
  }

  /** True (and the 304 is written) when the client already holds this entity. */
  static boolean notModified(Context ctx, String etag) {
    String inm = ctx.header("If-None-Match");
    if (inm == null) {
      return false;
    }
    for (String tag : inm.split(",")) {
      String t = tag.strip();
      if (t.equals(etag) || t.equals("*") || t.equals("W/" + etag)) {
        ctx.status(304);
        return true;
      }
    }
    return false;
  }
}
