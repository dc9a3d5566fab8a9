/**
 * Publishing into LDAP: the entry layout, total decoders for certificates, CRLs and OpenPGP keys,
 * and the adapter for the CA's publication port. May import UnboundID, bcpkix, bcpg, common and
 * the CA's published port (org.keyhaven.ca.publish), never CA or keyserver internals.
 */
package org.keyhaven.directory.ldap;
