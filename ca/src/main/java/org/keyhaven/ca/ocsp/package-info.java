/**
 * The RFC 6960 / RFC 5019 OCSP responder: a total request decoder, issuer matching over all our
 * CAs, delegated responder certificates per CA, pre-signed response caching and pre-encoded error
 * answers. May import {@code org.keyhaven.ca}, {@code .hierarchy}, {@code .store} ports, {@code
 * .issuance.SerialGenerator} and BouncyCastle; never {@code store.jdbc}.
 */
package org.keyhaven.ca.ocsp;
