/**
 * JDBC adapter of the keyserver storage ports for H2 (PostgreSQL mode) and PostgreSQL, over the
 * schema in db-migrations V30. May import the store ports, root value types and {@code java.sql};
 * nothing else in the keyserver imports this package.
 */
package org.keyhaven.keyserver.store.jdbc;
