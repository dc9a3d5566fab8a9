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
      if (!r.roles().isEmpty() && r.roles().stream().noneMatch(x -> x.startsWith("console-"))) {
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

  /** Console pages: no session → redirect to login; a session of a role not admitted → 403. */
  @Test
  void everyConsolePage_enforcesSessionAndRole() throws Exception {
    Map<String, String> cookies = new java.util.HashMap<>();
    for (String role : ROLES) {
      var http = java.net.http.HttpClient.newHttpClient();
      var login = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(srv.base + "/admin/login"))
          .header("Content-Type", "application/x-www-form-urlencoded")
          .POST(java.net.http.HttpRequest.BodyPublishers.ofString("token=" + tokens.get(role))).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      String setCookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      cookies.put(role, setCookie.substring(0, setCookie.indexOf(';')));
    }
    List<String> failures = new ArrayList<>();
    int checked = 0;
    for (EndpointCatalog.Route r : EndpointCatalog.routes(srv.server.app())) {
      var consoleRoles = r.roles().stream().filter(x -> x.startsWith("console-")).toList();
      if (consoleRoles.isEmpty() || r.path().equals("/admin/logout")) {
        continue;
      }
      checked++;
      String name = r.method() + " " + r.path();
      int anon = consoleCall(r, null).statusCode();
      if (anon != 303) {
        failures.add(name + ": no session gave " + anon);
      }
      for (String role : ROLES) {
        boolean admitted = role.equals("admin") || consoleRoles.contains("console-any")
            || consoleRoles.contains("console-" + role);
        var resp = consoleCall(r, cookies.get(role));
        // Role refusals say so; an admitted role's POST without a CSRF token is a different 403.
        boolean forbidden = resp.statusCode() == 403 && resp.body().contains("may not open this page");
        if (admitted == forbidden || resp.statusCode() == 303 || resp.statusCode() >= 500) {
          failures.add(name + ": role " + role + " got " + resp.statusCode());
        }
      }
    }
    assertThat(checked).isGreaterThanOrEqualTo(4);
    assertThat(failures).isEmpty();
  }

  HttpResponse<String> consoleCall(EndpointCatalog.Route r, String cookie) throws Exception {
    var b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(srv.base + concrete(r.path())));
    if (cookie != null) {
      b.header("Cookie", cookie);
    }
    if (r.method().equals("POST")) {
      b.header("Content-Type", "application/x-www-form-urlencoded");
      b.POST(java.net.http.HttpRequest.BodyPublishers.ofString(""));
    } else {
      b.GET();
    }
    return java.net.http.HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
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
