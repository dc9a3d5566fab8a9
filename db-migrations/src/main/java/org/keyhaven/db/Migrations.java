package org.keyhaven.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Owns Keyhaven's schema: one Flyway script set under {@code db/migration} that both H2 (in
 * PostgreSQL mode) and PostgreSQL 15 accept.
 *
 * <p>Version ranges per area keep parallel work from colliding: 1–9 foundation, 10–19 CA, 20–29
 * revocation, 30–39 keyserver, 40–49 directory, 50–59 web of trust, 60–69 recipients, 70+ later.
 */
public final class Migrations {
  private Migrations() {}

  /** Applies every pending migration and returns how many ran. */
  public static int migrate(DataSource dataSource) {
    MigrateResult result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            // Areas are numbered in ranges; a later-merged lower version must still apply.
            .outOfOrder(true)
            .load()
            .migrate();
    return result.migrationsExecuted;
  }
}
