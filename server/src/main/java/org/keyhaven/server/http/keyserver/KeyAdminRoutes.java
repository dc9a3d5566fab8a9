package org.keyhaven.server.http.keyserver;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyAdministration;
import org.keyhaven.server.auth.Actor;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.http.RouteGroup;

/**
 * Admin removal of OpenPGP keys (data-protection requests): {@code DELETE /api/v1/keys/{fpr}}
 * removes and blocks, {@code POST /api/v1/keys/{fpr}/allow} lifts the block. Both audited.
 */
public final class KeyAdminRoutes implements RouteGroup {
  private final KeyAdministration admin;

  public KeyAdminRoutes(KeyAdministration admin) {
    this.admin = admin;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.delete("/api/v1/keys/{fingerprint}", this::remove, Role.ADMIN);
    routes.post("/api/v1/keys/{fingerprint}/allow", this::allow, Role.ADMIN);
  }

  private void remove(Context ctx) {
    Fingerprint f = Fingerprint.parse(ctx.pathParam("fingerprint"));
    String reason = ctx.queryParam("reason");
    admin.remove(f, Actor.of(ctx).name(), reason);
    ctx.json(Map.of("fingerprint", f.upperHex(), "removed", true, "blocked", true));
  }

  private void allow(Context ctx) {
    Fingerprint f = Fingerprint.parse(ctx.pathParam("fingerprint"));
    admin.allow(f, Actor.of(ctx).name());
    ctx.json(Map.of("fingerprint", f.upperHex(), "blocked", false));
  }
}
