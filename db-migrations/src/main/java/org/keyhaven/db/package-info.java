/** Flyway migrations: the schema of every Keyhaven module. Depends on Flyway only. */
package org.keyhaven.db;
