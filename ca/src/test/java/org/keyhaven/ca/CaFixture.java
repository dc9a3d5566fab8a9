package org.keyhaven.ca;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.keyhaven.common.AuditLog;
import org.keyhaven.db.Migrations;

/** A migrated in-memory H2 database, a data dir and a CA over them, for tests. */
public final class CaFixture {
  public final DataSource dataSource;
  public final Path dataDir;
  public final RecordingAudit audit = new RecordingAudit();
  public final CaConfig config;
  public final CertificateAuthority ca;

  public CaFixture(Path dataDir) {
    this(dataDir, Clock.systemUTC(), false);
  }

  public CaFixture(Path dataDir, Clock clock, boolean cabfStrict) {
    this(dataDir, clock, cabfStrict, CaConfig.DEFAULT_POLICY_ARC);
  }

  public CaFixture(Path dataDir, Clock clock, boolean cabfStrict, String policyArc) {
    this.dataDir = dataDir;
    this.dataSource = h2();
    this.config = CaConfig.of("Example Org", List.of("example.org", "mail.example.net"),
            "http://pki.example.org:8080", dataDir)
        .withLdap("ldap://pki.example.org:3890", "dc=example,dc=org")
        .withCabfSmimeStrict(cabfStrict)
        .withPolicyArc(policyArc)
        .withPbeIterations(1000);
    this.ca = org.keyhaven.ca.store.jdbc.JdbcCertificateAuthority.open(config, dataSource, clock, audit);
  }

  public static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:" + UUID.randomUUID()
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
    Migrations.migrate(ds);
    return ds;
  }

  /** Remembers audit entries as "actor action target outcome". */
  public static final class RecordingAudit implements AuditLog {
    public final List<String> entries = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void record(String actor, String action, String target, String outcome,
        String detail) {
      entries.add(actor + " " + action + " " + target + " " + outcome);
    }
  }
}
