package org.keyhaven.server.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.javalin.http.Context;
import java.io.IOException;
import org.keyhaven.common.PkiException;

/** Reads JSON request bodies into DTOs; any parse failure is a one-line MALFORMED. */
public final class JsonBodies {
  public static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .configure(com.fasterxml.jackson.databind.SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false);

  private JsonBodies() {}

  public static <T> T read(Context ctx, Class<T> type) {
    byte[] body = ctx.bodyAsBytes();
    if (body.length == 0) {
      throw PkiException.malformed("request body must be a JSON object");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw PkiException.malformed("request body must be a JSON object");
      }
      return value;
    } catch (IOException e) {
      throw PkiException.malformed("request body is not valid JSON for this operation: %s",
          firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    String line = nl < 0 ? s : s.substring(0, nl);
    // Jackson appends source locations; the first clause is what a client can act on.
    int at = line.indexOf(" at [Source");
    return at < 0 ? line : line.substring(0, at);
  }
}
