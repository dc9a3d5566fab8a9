/**
 * The embedded UnboundID LDAP server with the GnuPG schema and an interceptor that gives it
 * OpenLDAP's client-visible behaviour. May import UnboundID, common and directory.ldap.
 */
package org.keyhaven.directory.embedded;
