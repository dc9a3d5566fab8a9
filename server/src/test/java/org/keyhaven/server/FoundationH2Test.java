package org.keyhaven.server;

import org.keyhaven.testkit.TestDatabases;

/** The foundation contract on the embedded default database (H2 in PostgreSQL mode). */
class FoundationH2Test extends FoundationContract {
  FoundationH2Test() {
    super(TestDatabases.h2Url("foundation" + System.nanoTime()));
  }
}
