/**
 * JDBC adapters of the CA storage ports, one SQL dialect for H2 (PostgreSQL mode) and PostgreSQL.
 * SQLState 23505 becomes CONFLICT, other SQL errors INTERNAL with the cause kept; imports only the
 * ports, CA value types, common and {@code java.sql}.
 */
package org.keyhaven.ca.store.jdbc;
