/**
 * Issuance mechanics: CSR decoding ({@link org.keyhaven.ca.issuance.IssuanceRequest#fromCsr}),
 * end-entity {@link org.keyhaven.ca.issuance.Profile}s, serial numbers, and the TBS builders for
 * end-entity and CA certificates. May import {@code hierarchy}, {@code keys} value types,
 * common and BouncyCastle; never {@code store.jdbc}.
 */
package org.keyhaven.ca.issuance;
