package org.keyhaven.server.web;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.security.RouteRole;
import java.net.URI;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.auth.Actor;

/**
 * Guards admin-console pages: a route with a {@link ConsoleAccess} role needs a session cookie of
 * an admitted role (else a redirect to the login page, or 403); every POST needs the session's
 * CSRF token and, when the browser sends one, a same-origin {@code Origin} header.
 */
public final class ConsoleGuard implements Handler {
  public static final String COOKIE = "kh_session";
  static final String SESSION_ATTR = "keyhaven.session";
  private final WebSessions sessions;
  private final AuditLog audit;

  public ConsoleGuard(WebSessions sessions, AuditLog audit) {
    this.sessions = sessions;
    this.audit = audit;
  }

  @Override
  public void handle(Context ctx) {
    ConsoleAccess access = null;
    for (RouteRole r : ctx.routeRoles()) {
      if (r instanceof ConsoleAccess ca) {
        access = ca;
      }
    }
    if (access == null) {
      return;
    }
    var session = sessions.find(ctx.cookie(COOKIE));
    if (session.isEmpty()) {
      ctx.redirect("/admin/login", io.javalin.http.HttpStatus.SEE_OTHER);
      ctx.skipRemainingHandlers();
      return;
    }
    WebSessions.Session s = session.get();
    if (!access.admits(s.actor().role())) {
      throw PkiException.forbidden("role '%s' may not open this page", s.actor().role().wireName());
    }
    if (ctx.method() == io.javalin.http.HandlerType.POST) {
      if (!sameOrigin(ctx) || !WebSessions.csrfMatches(s, ctx.formParam("csrf"))) {
        audit.record(s.actor().name(), "console.csrf", ctx.path(), AuditLog.FAILURE, "CSRF check failed");
        throw PkiException.forbidden("the form's CSRF token is missing or wrong; reload the page");
      }
    }
    ctx.attribute(SESSION_ATTR, s);
    ctx.attribute(Actor.ATTRIBUTE, s.actor());
  }

  private static boolean sameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null || origin.equals("null")) {
      return origin == null;
    }
    try {
      URI o = URI.create(origin);
      String host = ctx.host();
      return host != null && (o.getHost() + (o.getPort() > 0 ? ":" + o.getPort() : "")).equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The session of a guarded page. */
  public static WebSessions.Session session(Context ctx) {
    WebSessions.Session s = ctx.attribute(SESSION_ATTR);
    if (s == null) {
      throw PkiException.unauthenticated("not logged in");
    }
    return s;
  }

  /** The actor of a guarded page (same as {@link Actor#of} on the REST API). */
  public static Actor actor(Context ctx) {
    return session(ctx).actor();
  }
}
