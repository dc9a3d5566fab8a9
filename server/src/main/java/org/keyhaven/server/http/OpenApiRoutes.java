package org.keyhaven.server.http;

import io.javalin.Javalin;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves {@code /api/v1/openapi.json}: an OpenAPI 3.1 description generated from the routes the
 * app really registered, with their security (bearer token and roles) and path parameters.
 */
public final class OpenApiRoutes {
  private static final Pattern PARAM = Pattern.compile("\\{([^}/]+)}");

  private OpenApiRoutes() {}

  /** Builds the document once the app exists (routes are fixed after creation). */
  public static Map<String, Object> document(Javalin app, String version) {
    Map<String, Object> paths = new LinkedHashMap<>();
    for (EndpointCatalog.Route r : EndpointCatalog.routes(app)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> item =
          (Map<String, Object>) paths.computeIfAbsent(r.path(), p -> new LinkedHashMap<>());
      Map<String, Object> op = new LinkedHashMap<>();
      op.put("operationId", operationId(r));
      List<Map<String, Object>> params = new java.util.ArrayList<>();
      Matcher m = PARAM.matcher(r.path());
      while (m.find()) {
        params.add(Map.of("name", m.group(1), "in", "path", "required", true,
            "schema", Map.of("type", "string")));
      }
      if (!params.isEmpty()) {
        op.put("parameters", params);
      }
      if (r.roles().isEmpty()) {
        op.put("security", List.of());
      } else {
        op.put("security", List.of(Map.of("bearer", List.copyOf(r.roles()))));
        op.put("description", "Roles: " + String.join(", ", r.roles()) + " (admin always).");
      }
      Map<String, Object> responses = new LinkedHashMap<>();
      responses.put("default", Map.of("description", "Success, or an application/problem+json error"));
      op.put("responses", responses);
      item.put(r.method().toLowerCase(Locale.ROOT), op);
    }
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("openapi", "3.1.0");
    doc.put("info", Map.of("title", "Keyhaven API", "version", version));
    doc.put("paths", paths);
    doc.put("components", Map.of("securitySchemes",
        Map.of("bearer", Map.of("type", "http", "scheme", "bearer"))));
    return doc;
  }

  private static String operationId(EndpointCatalog.Route r) {
    String cleaned = r.path().replaceAll("[{}]", "").replaceAll("[^A-Za-z0-9]+", "_");
    return r.method().toLowerCase(Locale.ROOT) + cleaned;
  }
}
