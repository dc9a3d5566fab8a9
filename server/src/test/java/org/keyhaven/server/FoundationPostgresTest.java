package org.keyhaven.server;

import org.keyhaven.testkit.TestDatabases;

/** The foundation contract on a real PostgreSQL 15 (started by .ci/postgres.sh). */
class FoundationPostgresTest extends FoundationContract {
  FoundationPostgresTest() {
    super(TestDatabases.newPostgresDatabaseUrl());
  }
}
