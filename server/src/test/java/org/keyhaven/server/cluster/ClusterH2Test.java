package org.keyhaven.server.cluster;

import javax.sql.DataSource;
import org.keyhaven.testkit.TestDatabases;

class ClusterH2Test extends ClusterContract {
  @Override
  DataSource newDatabase() {
    return TestDatabases.h2();
  }
}
