/** The embedded UnboundID LDAP server. May import UnboundID and common only. */
package org.keyhaven.directory.embedded;
