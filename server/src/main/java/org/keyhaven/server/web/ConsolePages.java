package org.keyhaven.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.audit.ChainCheck;
import org.keyhaven.server.audit.JdbcAuditLog;
import org.keyhaven.server.auth.Actor;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.auth.TokenService;
import org.keyhaven.server.http.RouteGroup;

/**
 * The admin console's foundation pages: login and logout (token → session cookie), dashboard,
 * audit log with the hash-chain check, and token management. Areas add their own console pages.
 */
public final class ConsolePages implements RouteGroup {
  private final Pages pages;
  private final WebSessions sessions;
  private final TokenService tokens;
  private final JdbcAuditLog audit;
  private final List<Supplier<Dashboard.Count>> counters = new ArrayList<>();
  private final List<Supplier<List<Dashboard.Count>>> multi = new ArrayList<>();

  public ConsolePages(Pages pages, WebSessions sessions, TokenService tokens, JdbcAuditLog audit) {
    this.pages = pages;
    this.sessions = sessions;
    this.tokens = tokens;
    this.audit = audit;
    counters.add(() -> new Dashboard.Count("API tokens (active)",
        tokens.list().stream().filter(t -> t.active()).count()));
  }

  /** Areas add dashboard counts (certificates by status, keys, …). */
  public void addCounter(Supplier<Dashboard.Count> counter) {
    counters.add(counter);
  }

  /** Adds several counts computed together. */
  public void addCounters(Supplier<List<Dashboard.Count>> several) {
    multi.add(several);
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/admin/login", ctx -> login(ctx, null));
    routes.post("/admin/login", this::doLogin);
    routes.post("/admin/logout", this::logout, ConsoleAccess.ANY);
    routes.get("/admin", this::dashboard, ConsoleAccess.ANY);
    routes.get("/admin/audit", this::audit, ConsoleAccess.AUDITOR);
    routes.get("/admin/tokens", ctx -> tokensPage(ctx, null), ConsoleAccess.ADMIN);
    routes.post("/admin/tokens", this::createToken, ConsoleAccess.ADMIN);
    routes.post("/admin/tokens/revoke", this::revokeToken, ConsoleAccess.ADMIN);
  }

  private void login(Context ctx, String error) {
    pages.render(ctx, "login.jte", params(ctx, "error", error));
  }

  private void doLogin(Context ctx) {
    String token = ctx.formParam("token");
    var actor = tokens.authenticate(token == null ? null : token.strip());
    if (actor.isEmpty()) {
      audit.record("anonymous", "console.login", "/admin/login", AuditLog.FAILURE, "invalid or revoked token");
      ctx.status(401);
      login(ctx, "That token is not valid.");
      return;
    }
    var opened = sessions.open(actor.get());
    Cookie cookie = new Cookie(ConsoleGuard.COOKIE, opened.cookieValue());
    cookie.setHttpOnly(true);
    cookie.setSameSite(SameSite.STRICT);
    cookie.setPath("/");
    cookie.setMaxAge((int) WebSessions.LIFETIME.toSeconds());
    cookie.setSecure(isHttps(ctx));
    ctx.cookie(cookie);
    audit.record(actor.get().name(), "console.login", "/admin/login", AuditLog.SUCCESS, null);
    ctx.redirect("/admin", HttpStatus.SEE_OTHER);
  }

  static boolean isHttps(Context ctx) {
    return "https".equalsIgnoreCase(ctx.scheme())
        || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
  }

  private void logout(Context ctx) {
    sessions.close(ctx.cookie(ConsoleGuard.COOKIE));
    ctx.removeCookie(ConsoleGuard.COOKIE, "/");
    audit.record(ConsoleGuard.actor(ctx).name(), "console.logout", "/admin/logout", AuditLog.SUCCESS, null);
    ctx.redirect("/", HttpStatus.SEE_OTHER);
  }

  private void dashboard(Context ctx) {
    List<Dashboard.Count> counts = new ArrayList<>();
    for (Supplier<Dashboard.Count> c : counters) {
      counts.add(c.get());
    }
    for (Supplier<List<Dashboard.Count>> c : multi) {
      counts.addAll(c.get());
    }
    ChainCheck check = audit.verify();
    pages.render(ctx, "dashboard.jte", params(ctx, "page",
        new Dashboard(counts, check.intact(), check.entries(), check.problem())));
  }

  private void audit(Context ctx) {
    long after = parseLong(ctx.queryParam("after"));
    var entries = audit.list(after, 100);
    long next = entries.size() == 100 ? entries.get(entries.size() - 1).seq() : 0;
    Map<String, Object> p = params(ctx, "check", audit.verify());
    p.put("entries", entries);
    p.put("next", next);
    pages.render(ctx, "audit.jte", p);
  }

  private void tokensPage(Context ctx, String created) {
    Map<String, Object> p = params(ctx, "tokens", tokens.list());
    p.put("created", created);
    pages.render(ctx, "tokens.jte", p);
  }

  private void createToken(Context ctx) {
    Actor actor = ConsoleGuard.actor(ctx);
    var issued = tokens.create(ctx.formParam("name"), Role.fromWire(ctx.formParam("role")), actor.name());
    tokensPage(ctx, issued.secret());
  }

  private void revokeToken(Context ctx) {
    tokens.revoke(ctx.formParam("name"), ConsoleGuard.actor(ctx).name());
    ctx.redirect("/admin/tokens", HttpStatus.SEE_OTHER);
  }

  private Map<String, Object> params(Context ctx, String key, Object value) {
    Map<String, Object> p = new HashMap<>();
    p.put("nav", Pages.nav(ctx, sessions));
    p.put(key, value);
    return p;
  }

  private static long parseLong(String s) {
    if (s == null || s.isBlank()) {
      return 0;
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw PkiException.malformed("'after' must be a whole number");
    }
  }
}
