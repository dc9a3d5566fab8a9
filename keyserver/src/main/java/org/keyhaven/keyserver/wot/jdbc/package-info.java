/**
 * JDBC adapters for the web-of-trust ports (the trust root). May import {@code java.sql},
 * {@code org.keyhaven.common} and {@code org.keyhaven.keyserver.wot}; schema in db-migrations V50.
 */
package org.keyhaven.keyserver.wot.jdbc;
