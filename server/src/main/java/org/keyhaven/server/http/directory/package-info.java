/**
 * HTTP access to the certificate directory (RFC 4387 style), for clients without LDAP. May import
 * Javalin, the server's jobs (DirectorySource) and bcpkix.
 */
package org.keyhaven.server.http.directory;
