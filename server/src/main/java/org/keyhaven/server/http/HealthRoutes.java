package org.keyhaven.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import javax.sql.DataSource;

/** {@code GET /health}: 200 UP when the database answers, 503 DOWN otherwise. */
public final class HealthRoutes implements RouteGroup {
  private final DataSource dataSource;

  public HealthRoutes(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/health", this::health);
  }

  private void health(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    try (Connection c = dataSource.getConnection()) {
      if (c.isValid(2)) {
        ctx.json(Map.of("status", "UP", "database", "UP"));
        return;
      }
    } catch (SQLException e) {
      // fall through: report DOWN without details
    }
    ctx.status(503).json(Map.of("status", "DOWN", "database", "DOWN"));
  }
}
