package org.keyhaven.server.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes RFC 9457 problem details. */
public final class Problems {
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  public static void write(Context ctx, int status, String title, String detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", oneLine(detail));
    ctx.status(status);
    ctx.json(body);
    ctx.contentType(CONTENT_TYPE);
  }

  /** Details are one line, and bounded: they may echo client input. */
  static String oneLine(String s) {
    if (s == null) {
      return "";
    }
    String line = s.replaceAll("[\\r\\n\\t]+", " ").strip();
    return line.length() > 500 ? line.substring(0, 500) + "…" : line;
  }
}
