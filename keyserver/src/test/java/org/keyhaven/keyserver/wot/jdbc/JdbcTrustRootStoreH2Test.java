package org.keyhaven.keyserver.wot.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.keyhaven.db.Migrations;
import org.keyhaven.keyserver.wot.OwnerTrust;

/** The trust-root table (V50) on H2 in PostgreSQL mode. */
class JdbcTrustRootStoreH2Test {

  private static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    Migrations.migrate(ds);
    return ds;
  }

  @Test
  void replace_thenLoad_roundTripsAndDropsUnknown() {
    JdbcTrustRootStore store = new JdbcTrustRootStore(h2(),
        Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    assertThat(store.load()).isEmpty();
    Map<String, OwnerTrust> m = new LinkedHashMap<>();
    m.put("A".repeat(40), OwnerTrust.ULTIMATE);
    m.put("B".repeat(40), OwnerTrust.MARGINAL);
    m.put("C".repeat(64), OwnerTrust.NEVER);
    m.put("D".repeat(40), OwnerTrust.UNKNOWN);
    store.replace(m, "admin");
    assertThat(store.load()).containsOnly(Map.entry("A".repeat(40), OwnerTrust.ULTIMATE),
        Map.entry("B".repeat(40), OwnerTrust.MARGINAL),
        Map.entry("C".repeat(64), OwnerTrust.NEVER));
    store.replace(Map.of("E".repeat(40), OwnerTrust.FULL), "admin2");
    assertThat(store.load()).containsOnly(Map.entry("E".repeat(40), OwnerTrust.FULL));
  }
}
