/**
 * The X.509 certificate authority: {@link org.keyhaven.ca.CertificateAuthority} is the façade the
 * server calls to bootstrap the hierarchy, issue, approve and look up certificates. This package
 * and its sub-packages may import {@code org.keyhaven.common}, BouncyCastle (bcprov, bcpkix),
 * {@code java.sql} and slf4j, never Javalin, UnboundID or OpenPGP code.
 */
package org.keyhaven.ca;
