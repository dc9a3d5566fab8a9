/**
 * JDBC adapter of the keyserver storage ports for H2 (PostgreSQL mode) and PostgreSQL, over the
 * schema in db-migrations V30/V31. May import the store ports, root value types, {@code java.sql}
 * and the pure function {@code openpgp.SksKeyHash} (the hash columns are derived from the bytes
 * written next to them, here, so they never disagree); nothing else in the keyserver imports this
 * package.
 */
package org.keyhaven.keyserver.store.jdbc;
