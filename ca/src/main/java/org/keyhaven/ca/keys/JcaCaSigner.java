package org.keyhaven.ca.keys;

import java.security.PrivateKey;
import java.security.Provider;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.keyhaven.ca.hierarchy.CaSigner;
import org.keyhaven.common.PkiException;

/** A {@link CaSigner} over a JCA private key (software or SunPKCS11). */
final class JcaCaSigner implements CaSigner {
  private final X509CertificateHolder certificate;
  private final String algorithm;
  private final PrivateKey key;
  private final Provider provider;

  JcaCaSigner(X509CertificateHolder certificate, String algorithm, PrivateKey key,
      Provider provider) {
    this.certificate = certificate;
    this.algorithm = algorithm;
    // Software EC keys sign with BouncyCastle, as its own key object: on JDK 17 SunEC's
    // P-256/P-384 arithmetic is several times slower per CPU-second. Token keys keep their
    // provider.
    boolean softwareEc = provider == null && "EC".equals(key.getAlgorithm());
    this.key = softwareEc ? BcProvider.forSigning(key) : key;
    this.provider = softwareEc ? BcProvider.INSTANCE : provider;
  }

  @Override
  public X509CertificateHolder certificate() {
    return certificate;
  }

  @Override
  public String signatureAlgorithm() {
    return algorithm;
  }

  @Override
  public ContentSigner newContentSigner() {
    return contentSigner(algorithm, key, provider);
  }

  static ContentSigner contentSigner(String algorithm, PrivateKey key, Provider provider) {
    try {
      JcaContentSignerBuilder b = new JcaContentSignerBuilder(algorithm);
      if (provider != null) {
        b.setProvider(provider);
      }
      return b.build(key);
    } catch (OperatorCreationException e) {
      throw PkiException.unavailable("CA key cannot sign: %s", e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "CaSigner[" + certificate.getSubject() + ", " + algorithm + "]";
  }
}
