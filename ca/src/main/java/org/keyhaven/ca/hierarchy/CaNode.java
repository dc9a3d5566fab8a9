package org.keyhaven.ca.hierarchy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.keys.KeyReference;
import org.keyhaven.common.Bytes;

/**
 * One CA of the hierarchy: its certificate, place and policy, and where its key lives (a reference,
 * never the key).
 *
 * @param parent the issuing CA, empty for a self-signed root
 * @param pathLength the basicConstraints pathLenConstraint written into its certificate, or -1 for
 *     none
 * @param policyOid the certificate-policy OID this CA asserts, or null for the root
 * @param keyHash SHA-1 of the subjectPublicKey BIT STRING (the OCSP CertID issuerKeyHash)
 * @param imported true if certificate and key were imported rather than made here; an imported
 *     subordinate CA has no parent here (its issuer is external, see {@link LinkedCertificate})
 */
public record CaNode(
    CaId id,
    Optional<CaId> parent,
    PolicyKind policy,
    String policyOid,
    int pathLength,
    Bytes certificate,
    Bytes keyHash,
    KeyReference key,
    CaStatus status,
    Instant createdAt,
    boolean imported) {

  /** A CA made on this server. */
  public CaNode(CaId id, Optional<CaId> parent, PolicyKind policy, String policyOid,
      int pathLength, Bytes certificate, Bytes keyHash, KeyReference key, CaStatus status,
      Instant createdAt) {
    this(id, parent, policy, policyOid, pathLength, certificate, keyHash, key, status, createdAt,
        false);
  }

  public X509CertificateHolder certificateHolder() {
    try {
      return new X509CertificateHolder(certificate.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public X500Name subject() {
    return certificateHolder().getSubject();
  }

  /**
   * True for a self-signed root: no parent here and self-issued. An imported subordinate CA also
   * has no parent here, but it is not a root (its issuer is an external CA).
   */
  public boolean isRoot() {
    if (parent.isPresent()) {
      return false;
    }
    X509CertificateHolder c = certificateHolder();
    return c.getSubject().equals(c.getIssuer());
  }

  /** True if this CA may certify other CAs (pathLen absent or above zero). */
  public boolean mayCertifyCas() {
    return pathLength != 0;
  }
}
