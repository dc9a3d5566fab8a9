package org.keyhaven.server;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.keyhaven.server.audit.JdbcAuditLog;
import org.keyhaven.server.auth.AuthHandler;
import org.keyhaven.server.auth.TokenService;
import org.keyhaven.server.db.Database;
import org.keyhaven.server.http.AdminRoutes;
import org.keyhaven.server.http.HealthRoutes;
import org.keyhaven.server.http.HttpMetrics;
import org.keyhaven.server.http.RouteGroup;

/**
 * The composition root: builds every service from the configuration by hand (constructor
 * injection, no reflection) and lists the route groups the HTTP server registers.
 */
public final class Wiring implements AutoCloseable {
  public final ServerConfig config;
  public final Clock clock;
  public final HikariDataSource dataSource;
  public final JdbcAuditLog audit;
  public final TokenService tokens;
  public final HttpMetrics metrics;
  public final AuthHandler auth;
  /** The URL clients reach this server at (AIA, CRL distribution points, pages). */
  public final String publicBaseUrl;

  private final List<RouteGroup> routeGroups = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public Wiring(ServerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.publicBaseUrl = config.effectivePublicBaseUrl(config.httpPort());
    this.dataSource = Database.open(config);
    this.audit = new JdbcAuditLog(dataSource, clock);
    this.tokens = new TokenService(dataSource, clock, audit);
    this.metrics = new HttpMetrics();
    this.auth = new AuthHandler(tokens, audit);

    routeGroups.add(new HealthRoutes(dataSource));
    routeGroups.add(new AdminRoutes(tokens, audit));
    // --- Areas add their services and route groups below, one block each. ---
  }

  public List<RouteGroup> routeGroups() {
    return List.copyOf(routeGroups);
  }

  /** Registers something to close at shutdown (in reverse order of registration). */
  public void onClose(AutoCloseable closeable) {
    closeables.add(closeable);
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(Wiring.class).warn("error while closing", e);
      }
    }
    dataSource.close();
  }
}
