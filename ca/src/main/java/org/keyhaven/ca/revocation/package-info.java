/**
 * Revocation of issued certificates: RFC 5280 reasons, the {@link
 * org.keyhaven.ca.revocation.RevocationService} (admin, RA and self-service "scram switch"
 * revocation) and its storage port. May import {@code org.keyhaven.ca}, {@code .hierarchy}, {@code
 * .store} ports and BouncyCastle; never {@code store.jdbc} adapters.
 */
package org.keyhaven.ca.revocation;
