package org.keyhaven.server.cluster;

import javax.sql.DataSource;
import org.keyhaven.testkit.TestDatabases;

class ClusterPostgresTest extends ClusterContract {
  @Override
  DataSource newDatabase() {
    return TestDatabases.postgres();
  }
}
