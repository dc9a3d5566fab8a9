package org.keyhaven.ca.hierarchy;

import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;

/**
 * Signs with one CA's private key without exposing it: each call to {@link #newContentSigner()}
 * gives a fresh, single-use BouncyCastle {@link ContentSigner} (they are not thread-safe) that the
 * caller feeds to a certificate, CRL or OCSP builder.
 */
public interface CaSigner {
  /** The CA certificate the signatures verify under. */
  X509CertificateHolder certificate();

  /** The JCA signature algorithm name, e.g. {@code SHA384withECDSA}. */
  String signatureAlgorithm();

  ContentSigner newContentSigner();
}
