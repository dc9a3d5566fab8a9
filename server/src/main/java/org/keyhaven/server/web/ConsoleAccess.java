package org.keyhaven.server.web;

import io.javalin.security.RouteRole;
import java.util.Locale;
import org.keyhaven.server.auth.Role;

/**
 * Roles of admin-console pages. Unlike {@link Role} (bearer tokens on the REST API), these are
 * checked against the session cookie by {@link ConsoleGuard}; an unauthenticated browser is sent
 * to the login page instead of getting a 401.
 */
public enum ConsoleAccess implements RouteRole {
  ADMIN(Role.ADMIN),
  RA(Role.RA),
  AUDITOR(Role.AUDITOR),
  /** Any logged-in role (the dashboard). */
  ANY(null);

  private final Role role;

  ConsoleAccess(Role role) {
    this.role = role;
  }

  public boolean admits(Role r) {
    return this == ANY || r == Role.ADMIN || r == role;
  }

  @Override
  public String toString() {
    return "console-" + name().toLowerCase(Locale.ROOT);
  }
}
