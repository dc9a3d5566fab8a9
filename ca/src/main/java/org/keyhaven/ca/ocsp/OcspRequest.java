package org.keyhaven.ca.ocsp;

import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.keyhaven.common.Bytes;

/**
 * A decoded OCSP request: the CertIDs asked about and the nonce extension, if any.
 *
 * @param nonceExtension the extnValue of id-pkix-ocsp-nonce exactly as received, echoed back
 */
public record OcspRequest(List<CertId> certIds, Optional<Bytes> nonceExtension) {
  public OcspRequest {
    certIds = List.copyOf(certIds);
  }

  /** One CertID (RFC 6960 §4.1.1), kept with its DER for echoing and cache keys. */
  public record CertId(String hashAlgorithm, Bytes issuerNameHash, Bytes issuerKeyHash,
      java.math.BigInteger serial, Bytes encoded) {

    /** The BouncyCastle form for the response builder. */
    public CertificateID toCertificateId() {
      return new CertificateID(org.bouncycastle.asn1.ocsp.CertID.getInstance(
          encoded.toByteArray()));
    }
  }
}
