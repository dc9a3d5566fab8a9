package org.keyhaven.keyserver.store;

import javax.sql.DataSource;
import org.keyhaven.testkit.TestDatabases;

class KeySubmissionH2Test extends KeySubmissionContract {
  @Override
  DataSource dataSource() {
    return TestDatabases.h2();
  }
}
