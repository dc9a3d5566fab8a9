package org.keyhaven.ca.hierarchy;

import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.keyhaven.ca.CaId;
import org.keyhaven.common.Bytes;

/**
 * Lookup of the CAs of this server. Used by issuance and by revocation (CRL signing, OCSP issuer
 * matching). Absence is {@code Optional.empty()}, never an exception.
 */
public interface CaRegistry {
  Optional<CaNode> find(CaId id);

  /** The CA whose subject DN equals {@code subject} (DER equality, RFC 5280 §7.1). */
  Optional<CaNode> findBySubject(X500Name subject);

  /**
   * The CA whose key hash equals {@code hash}: SHA-1 over the subjectPublicKey BIT STRING value, as
   * in the OCSP CertID issuerKeyHash (RFC 6960 §4.1.1).
   */
  Optional<CaNode> findByKeyHash(Bytes sha1KeyHash);

  /** All CAs, parents before children. */
  List<CaNode> all();

  /** The chain from {@code id} up to and including the root (first element is the CA itself). */
  List<CaNode> chain(CaId id);

  /**
   * A signer for the CA's key. The key stays inside (decrypted in memory or in the HSM); callers
   * only get BouncyCastle {@code ContentSigner}s from it.
   *
   * @throws org.keyhaven.common.PkiException NOT_FOUND for an unknown CA, INTERNAL/UNAVAILABLE
   *     when the key cannot be opened
   */
  CaSigner signer(CaId id);
}
