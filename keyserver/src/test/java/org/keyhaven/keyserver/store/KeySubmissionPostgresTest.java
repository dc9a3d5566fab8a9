package org.keyhaven.keyserver.store;

import javax.sql.DataSource;
import org.keyhaven.testkit.TestDatabases;

/** Skipped locally without PostgreSQL; fails under CI without it (see TestDatabases). */
class KeySubmissionPostgresTest extends KeySubmissionContract {
  @Override
  DataSource dataSource() {
    return TestDatabases.postgres();
  }
}
