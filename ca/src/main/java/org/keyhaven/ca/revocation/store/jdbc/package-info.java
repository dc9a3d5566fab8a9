/**
 * JDBC adapters for the revocation ports (event log, self-service nonces) and, for the CRL and
 * OCSP packages, stored CRLs with their per-CA numbers and responder records. Only the server's
 * wiring and tests import this package.
 */
package org.keyhaven.ca.revocation.store.jdbc;
