package org.keyhaven.testkit;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Assumptions;
import org.keyhaven.db.Migrations;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Fresh, migrated databases for tests: in-memory H2 in PostgreSQL mode, and real PostgreSQL when
 * {@code KEYHAVEN_PG_URL} (or system property {@code keyhaven.pg.url}) names a server, as
 * {@code .ci/postgres.sh} sets up. Under CI ({@code CI=true}) a missing PostgreSQL fails the test
 * instead of skipping it, so a green CI run always includes the PostgreSQL suites.
 */
public final class TestDatabases {
  private static final AtomicInteger COUNTER = new AtomicInteger();

  private TestDatabases() {}

  /** A new in-memory H2 database with the schema applied; it lives as long as the JVM. */
  public static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL(h2Url("t" + COUNTER.incrementAndGet() + "_" + UUID.randomUUID().toString().substring(0, 8)));
    ds.setUser("sa");
    Migrations.migrate(ds);
    return ds;
  }

  /** The JDBC URL of a named in-memory H2 database (kept open until the JVM exits). */
  public static String h2Url(String name) {
    return "jdbc:h2:mem:" + name
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1";
  }

  /** The admin URL of the test PostgreSQL server, or null. */
  public static String postgresAdminUrl() {
    String url = System.getProperty("keyhaven.pg.url");
    if (url == null || url.isBlank()) {
      url = System.getenv("KEYHAVEN_PG_URL");
    }
    return url == null || url.isBlank() ? null : url;
  }

  /**
   * Creates a new PostgreSQL database on the test server and returns its JDBC URL (schema not
   * applied). Aborts the test when no server is configured, unless running under CI, where that
   * is a failure.
   */
  public static String newPostgresDatabaseUrl() {
    String admin = postgresAdminUrl();
    if (admin == null) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException(
            "CI=true but KEYHAVEN_PG_URL is not set: PostgreSQL tests must run in CI (.ci/postgres.sh)");
      }
      Assumptions.abort("no PostgreSQL configured (set KEYHAVEN_PG_URL, see .ci/postgres.sh)");
    }
    String name = "kh_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    try (Connection c = DriverManager.getConnection(admin);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database on " + admin, e);
    }
    int q = admin.indexOf('?');
    String base = q < 0 ? admin : admin.substring(0, q);
    String params = q < 0 ? "" : admin.substring(q);
    return base.substring(0, base.lastIndexOf('/') + 1) + name + params;
  }

  /** A new PostgreSQL database with the schema applied. */
  public static DataSource postgres() {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setURL(newPostgresDatabaseUrl());
    Migrations.migrate(ds);
    return ds;
  }
}
