package org.keyhaven.server.http;

import io.javalin.Javalin;
import io.javalin.http.HandlerType;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.RouteRole;
import io.javalin.security.Roles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The routes a running app really has, read from Javalin's router. Feeds the OpenAPI document and
 * the authorisation-matrix test, so neither can drift from the code.
 */
public final class EndpointCatalog {
  /** One HTTP route: method, path template and the roles it admits (empty = public). */
  public record Route(String method, String path, Set<String> roles) {}

  private EndpointCatalog() {}

  public static List<Route> routes(Javalin app) {
    List<Route> out = new ArrayList<>();
    for (ParsedEndpoint pe : app.unsafe.internalRouter.allHttpHandlers()) {
      HandlerType method = pe.endpoint.method;
      if (!method.isHttpMethod()) {
        continue;
      }
      Set<String> roles = new TreeSet<>();
      Roles meta = pe.endpoint.metadata(Roles.class);
      if (meta != null) {
        for (RouteRole r : meta.getRoles()) {
          roles.add(r.toString().toLowerCase(java.util.Locale.ROOT));
        }
      }
      out.add(new Route(method.name(), pe.endpoint.path, roles));
    }
    out.sort(Comparator.comparing(Route::path).thenComparing(Route::method));
    return out;
  }
}
