package org.keyhaven.server.auth;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import java.util.Optional;
import java.util.Set;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;

/**
 * Runs before every matched route: public routes (no roles) pass; others need {@code
 * Authorization: Bearer <token>} with a permitted role. Failures are audited as security events.
 */
public final class AuthHandler implements Handler {
  private final TokenService tokens;
  private final AuditLog audit;

  public AuthHandler(TokenService tokens, AuditLog audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  @Override
  public void handle(Context ctx) {
    // Only API roles are bearer-checked here; console pages carry their own roles (session cookie).
    Set<RouteRole> roles = new java.util.HashSet<>();
    for (RouteRole r : ctx.routeRoles()) {
      if (r instanceof Role) {
        roles.add(r);
      }
    }
    if (roles.isEmpty()) {
      return;
    }
    String target = ctx.method() + " " + ctx.path();
    String header = ctx.header("Authorization");
    Optional<Actor> actor = Optional.empty();
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      actor = tokens.authenticate(header.substring(7).trim());
    }
    if (actor.isEmpty()) {
      audit.record(
          "anonymous", "auth.login", target, AuditLog.FAILURE,
          header == null ? "no token" : "invalid or revoked token");
      ctx.header("WWW-Authenticate", "Bearer realm=\"keyhaven\"");
      throw PkiException.unauthenticated("a valid API token is required (Authorization: Bearer …)");
    }
    Actor a = actor.get();
    boolean allowed = a.role() == Role.ADMIN || roles.contains(a.role());
    if (!allowed) {
      audit.record(a.name(), "auth.forbidden", target, AuditLog.FAILURE, "role=" + a.role().wireName());
      throw PkiException.forbidden("role '%s' may not do this", a.role().wireName());
    }
    ctx.attribute(Actor.ATTRIBUTE, a);
  }
}
