/**
 * HTTP adapters for revocation: the OCSP responder (RFC 6960 / RFC 5019 over HTTP), CRL
 * downloads, and the revoke, release and self-service revocation endpoints. Errors of OCSP are
 * answered in OCSP; the REST endpoints throw PkiException for {@code ErrorMapping}.
 */
package org.keyhaven.server.http.revocation;
