package org.keyhaven.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.audit.ChainCheck;
import org.keyhaven.server.audit.JdbcAuditLog;
import org.keyhaven.server.auth.Actor;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.auth.TokenService;

/** Token management (admin) and the audit log (auditor, admin). */
public final class AdminRoutes implements RouteGroup {
  private final TokenService tokens;
  private final JdbcAuditLog audit;

  public AdminRoutes(TokenService tokens, JdbcAuditLog audit) {
    this.tokens = tokens;
    this.audit = audit;
  }

  /** Body of {@code POST /api/v1/tokens}. */
  public record CreateToken(String name, String role) {}

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/tokens", this::create, Role.ADMIN);
    routes.get("/api/v1/tokens", ctx -> ctx.json(tokens.list()), Role.ADMIN);
    routes.delete("/api/v1/tokens/{name}", this::revoke, Role.ADMIN);
    routes.get("/api/v1/audit", this::list, Role.AUDITOR);
    routes.get("/api/v1/audit/verify", this::verify, Role.AUDITOR);
  }

  private void create(Context ctx) {
    CreateToken body = JsonBodies.read(ctx, CreateToken.class);
    Role role = Role.fromWire(body.role());
    var issued = tokens.create(body.name(), role, Actor.of(ctx).name());
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", issued.token().name());
    out.put("role", role.wireName());
    out.put("createdAt", issued.token().createdAt().toString());
    out.put("token", issued.secret());
    ctx.status(201).json(out);
  }

  private void revoke(Context ctx) {
    tokens.revoke(ctx.pathParam("name"), Actor.of(ctx).name());
    ctx.status(204);
  }

  private void list(Context ctx) {
    long after = longParam(ctx, "after", 0);
    int limit = (int) Math.min(1000, Math.max(1, longParam(ctx, "limit", 100)));
    var entries = audit.list(after, limit);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("entries", entries);
    out.put("next", entries.isEmpty() ? null : entries.get(entries.size() - 1).seq());
    ctx.json(out);
  }

  private void verify(Context ctx) {
    ChainCheck check = audit.verify();
    ctx.json(check);
  }

  static long longParam(Context ctx, String name, long dflt) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw PkiException.malformed("query parameter '%s' must be a whole number", name);
    }
  }

}
