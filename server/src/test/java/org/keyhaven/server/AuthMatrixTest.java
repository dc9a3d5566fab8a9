package org.keyhaven.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.server.http.EndpointCatalog;

/**
 * The authorisation matrix over every route the running app has (read from the router, so a new
 * admin route is covered the moment it is registered): no token → 401, a token of a role the
 * route does not admit → 403, a token of an admitted role → neither.
 */
class AuthMatrixTest {
  static TestServer srv;
  static Map<String, String> tokens;
  static final List<String> ROLES = List.of("admin", "ra", "auditor");

  @BeforeAll
  static void start() {
    srv = TestServer.start();
    tokens = Map.of("admin", srv.adminToken, "ra", srv.token("matrix-ra", "ra"),
        "auditor", srv.token("matrix-auditor", "auditor"));
  }

  @AfterAll
  static void stop() {
    srv.close();
  }

  static String concrete(String template) {
    return template.replaceAll("\\{[^}]+}", "zz-missing").replaceAll("<[^>]+>", "zz-missing");
  }

  HttpResponse<String> call(EndpointCatalog.Route r, String token) {
    byte[] body = r.method().equals("GET") || r.method().equals("DELETE") ? null : "{}".getBytes();
    return srv.send(r.method(), concrete(r.path()), token, body == null ? null : "application/json", body);
  }

  @Test
  void everyProtectedRoute_enforcesTokenAndRole() {
    List<EndpointCatalog.Route> protectedRoutes = new ArrayList<>();
    for (EndpointCatalog.Route r : EndpointCatalog.routes(srv.server.app())) {
      if (!r.roles().isEmpty()) {
        protectedRoutes.add(r);
      }
    }
    // The foundation's own admin routes at least; areas add theirs.
    assertThat(protectedRoutes).extracting(EndpointCatalog.Route::path)
        .contains("/api/v1/tokens", "/api/v1/audit", "/api/v1/audit/verify");
    List<String> failures = new ArrayList<>();
    for (EndpointCatalog.Route r : protectedRoutes) {
      String name = r.method() + " " + r.path();
      int none = call(r, null).statusCode();
      if (none != 401) {
        failures.add(name + ": no token gave " + none);
      }
      int bogus = call(r, "kh_not-a-real-token").statusCode();
      if (bogus != 401) {
        failures.add(name + ": invalid token gave " + bogus);
      }
      for (String role : ROLES) {
        boolean admitted = role.equals("admin") || r.roles().contains(role);
        HttpResponse<String> resp = call(r, tokens.get(role));
        boolean authRefused = resp.statusCode() == 401
            || (resp.statusCode() == 403 && resp.body().contains("\"title\":\"Forbidden\""));
        if (admitted && authRefused) {
          failures.add(name + ": admitted role " + role + " was refused (" + resp.statusCode() + ")");
        }
        if (!admitted && !(resp.statusCode() == 403 && resp.body().contains("\"title\":\"Forbidden\""))) {
          failures.add(name + ": role " + role + " should get 403, got " + resp.statusCode());
        }
        if (resp.statusCode() >= 500) {
          failures.add(name + ": role " + role + " caused " + resp.statusCode() + " " + resp.body());
        }
      }
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void publicRoutes_needNoToken() {
    Set<String> mustBePublic = Set.of("/health", "/metrics", "/api/v1/openapi.json");
    for (EndpointCatalog.Route r : EndpointCatalog.routes(srv.server.app())) {
      if (mustBePublic.contains(r.path())) {
        assertThat(r.roles()).as(r.path()).isEmpty();
        assertThat(srv.get(r.path(), null).statusCode()).as(r.path()).isEqualTo(200);
      }
    }
  }
}
