/**
 * Background jobs of the server: the directory publication worker that drains the outboxes into
 * LDAP and rebuilds the directory from the database at start. May import the domain modules,
 * directory and JDBC; never Javalin.
 */
package org.keyhaven.server.jobs;
