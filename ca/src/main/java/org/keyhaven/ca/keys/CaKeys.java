package org.keyhaven.ca.keys;

import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.keyhaven.ca.hierarchy.CaSigner;
import org.keyhaven.common.PkiException;

/**
 * Creates CA keys (in software or on the token), persists them as {@link KeyReference}s and opens
 * {@link CaSigner}s on them.
 */
public final class CaKeys {
  private final KeyProtector protector;
  private final Optional<Pkcs11Token> token;

  public CaKeys(KeyProtector protector, Optional<Pkcs11Token> token) {
    this.protector = protector;
    this.token = token;
  }

  public boolean hasToken() {
    return token.isPresent();
  }

  /** A freshly generated key pair whose private half stays in this package. */
  public final class NewKey {
    private final KeyAlgorithm algorithm;
    private final KeyPair pair;
    private final Provider provider;

    private NewKey(KeyAlgorithm algorithm, KeyPair pair, Provider provider) {
      this.algorithm = algorithm;
      this.pair = pair;
      this.provider = provider;
    }

    public PublicKey publicKey() {
      return pair.getPublic();
    }

    public KeyAlgorithm algorithm() {
      return algorithm;
    }

    /** Signs with the new key itself (self-signed roots). */
    public ContentSigner selfSigner() {
      return JcaCaSigner.contentSigner(algorithm.signatureAlgorithm(), pair.getPrivate(), provider);
    }

    /**
     * Persists the key now that its certificate exists: encrypts it, or writes it to the token
     * under {@code alias} with the chain (the token needs a certificate to keep a key object).
     */
    public KeyReference persist(String alias, List<X509CertificateHolder> chain) {
      if (provider == null) {
        return new KeyReference.Software(algorithm, protector.encrypt(pair.getPrivate()));
      }
      Certificate[] jca = chain.stream().map(CaKeys::toJca).toArray(Certificate[]::new);
      token.orElseThrow().store(alias, pair.getPrivate(), jca);
      return new KeyReference.Token(algorithm, alias);
    }

    public CaSigner signer(X509CertificateHolder certificate) {
      return new JcaCaSigner(certificate, algorithm.signatureAlgorithm(), pair.getPrivate(),
          provider);
    }
  }

  /** Generates a key in software, or on the token when {@code onToken}. */
  public NewKey generate(KeyAlgorithm algorithm, boolean onToken) {
    if (onToken && token.isEmpty()) {
      throw PkiException.unsupported("no PKCS#11 token is configured on this server");
    }
    Provider p = onToken ? token.get().provider() : null;
    return new NewKey(algorithm, algorithm.generate(p), p);
  }

  /**
   * Reads an admin-supplied PEM private key (PKCS#8, encrypted PKCS#8 or traditional PEM);
   * {@code passphrase} may be null for an unencrypted key. MALFORMED on any defect, with a detail
   * that never contains key material or the passphrase.
   */
  public ImportedKey importPem(String pem, char[] passphrase) {
    return ImportedKey.fromPem(pem, passphrase, protector);
  }

  /** Reads the one private key (and its certificates) of an admin-supplied PKCS#12. */
  public ImportedKey importPkcs12(org.keyhaven.common.Bytes pkcs12, char[] passphrase) {
    return ImportedKey.fromPkcs12(pkcs12, passphrase, protector);
  }

  /** Opens a signer on a stored key. */
  public CaSigner open(KeyReference ref, X509CertificateHolder certificate) {
    String alg = ref.algorithm().signatureAlgorithm();
    if (ref instanceof KeyReference.Software s) {
      return new JcaCaSigner(certificate, alg, protector.decrypt(s.encryptedPkcs8()), null);
    }
    KeyReference.Token t = (KeyReference.Token) ref;
    Pkcs11Token tok =
        token.orElseThrow(() -> PkiException.unavailable(
            "CA key %s is on a PKCS#11 token but none is configured", t.alias()));
    PrivateKey key = tok.load(t.alias());
    return new JcaCaSigner(certificate, alg, key, tok.provider());
  }

  static X509Certificate toJca(X509CertificateHolder holder) {
    try {
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot convert certificate");
    }
  }
}
