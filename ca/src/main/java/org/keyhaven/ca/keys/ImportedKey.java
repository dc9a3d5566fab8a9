package org.keyhaven.ca.keys;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.keyhaven.ca.hierarchy.CaSigner;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/**
 * A CA private key brought in by an admin (PEM PKCS#8, encrypted PKCS#8, traditional PEM, or a
 * PKCS#12). It stays in this package: callers check it against a certificate, persist it encrypted
 * under the master secret like a generated key, and get a {@link CaSigner}. Error details never
 * contain key material or the passphrase.
 */
public final class ImportedKey {
  private final PrivateKey key;
  private final KeyAlgorithm algorithm;
  private final List<X509CertificateHolder> pkcs12Certificates;
  private final KeyProtector protector;

  private ImportedKey(PrivateKey key, List<X509CertificateHolder> pkcs12Certificates,
      KeyProtector protector) {
    this.key = key;
    this.algorithm = classify(key);
    this.pkcs12Certificates = List.copyOf(pkcs12Certificates);
    this.protector = protector;
  }

  /** Reads one PEM private key; {@code passphrase} is needed only for an encrypted one. */
  static ImportedKey fromPem(String pem, char[] passphrase, KeyProtector protector) {
    if (pem == null || pem.isBlank()) {
      throw PkiException.malformed("key is empty");
    }
    Object o;
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      o = p.readObject();
    } catch (IOException | RuntimeException e) {
      throw PkiException.malformed("key is not a PEM private key");
    }
    JdkKeys conv = new JdkKeys();
    if (o instanceof PrivateKeyInfo info) {
      return fromInfo(conv, info, protector);
    }
    if (o instanceof PEMKeyPair pair) {
      // Only the private half: a traditional EC key may leave out its public key.
      return fromInfo(conv, pair.getPrivateKeyInfo(), protector);
    }
    if (o instanceof PKCS8EncryptedPrivateKeyInfo enc) {
      needPassphrase(passphrase);
      PrivateKeyInfo info;
      try {
        info = enc.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
            .setProvider(BcProvider.INSTANCE).build(passphrase));
      } catch (Exception e) {
        throw PkiException.malformed("key passphrase is wrong (or the encrypted key is damaged)");
      }
      return fromInfo(conv, info, protector);
    }
    if (o instanceof PEMEncryptedKeyPair enc) {
      needPassphrase(passphrase);
      PEMKeyPair pair;
      try {
        pair = enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder()
            .setProvider(BcProvider.INSTANCE).build(passphrase));
      } catch (Exception e) {
        throw PkiException.malformed("key passphrase is wrong (or the encrypted key is damaged)");
      }
      return fromInfo(conv, pair.getPrivateKeyInfo(), protector);
    }
    throw PkiException.malformed("key is not a PEM private key (expected PKCS#8, encrypted"
        + " PKCS#8, or a traditional EC or RSA key)");
  }

  /** A decoded (decrypted) PKCS#8 structure as a JDK key; any failure is MALFORMED. */
  private static ImportedKey fromInfo(JdkKeys conv, PrivateKeyInfo info, KeyProtector protector) {
    try {
      return new ImportedKey(conv.getPrivateKey(info), List.of(), protector);
    } catch (PkiException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw PkiException.malformed("key is not a valid private key");
    }
  }

  /** Reads the one key entry of a PKCS#12 and the certificates that came with it. */
  static ImportedKey fromPkcs12(Bytes pkcs12, char[] passphrase, KeyProtector protector) {
    needPassphrase(passphrase);
    KeyStore ks;
    try {
      ks = KeyStore.getInstance("PKCS12");
      ks.load(new ByteArrayInputStream(pkcs12.toByteArray()), passphrase);
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException) {
        throw PkiException.malformed("PKCS#12 passphrase is wrong");
      }
      throw PkiException.malformed("pkcs12 is not a readable PKCS#12 file");
    } catch (Exception e) {
      throw PkiException.malformed("pkcs12 is not a readable PKCS#12 file");
    }
    try {
      PrivateKey found = null;
      List<X509CertificateHolder> certs = new ArrayList<>();
      for (String alias : Collections.list(ks.aliases())) {
        if (!ks.isKeyEntry(alias)) {
          continue;
        }
        if (found != null) {
          throw PkiException.malformed("PKCS#12 holds more than one private key");
        }
        found = (PrivateKey) ks.getKey(alias, passphrase);
        Certificate[] chain = ks.getCertificateChain(alias);
        if (chain != null) {
          for (Certificate c : chain) {
            certs.add(new X509CertificateHolder(c.getEncoded()));
          }
        }
      }
      if (found == null) {
        throw PkiException.malformed("PKCS#12 holds no private key");
      }
      return new ImportedKey(found, certs, protector);
    } catch (PkiException e) {
      throw e;
    } catch (UnrecoverableKeyException e) {
      throw PkiException.malformed("PKCS#12 passphrase is wrong");
    } catch (Exception e) {
      throw PkiException.malformed("PKCS#12 key entry cannot be read");
    }
  }

  /**
   * JDK key objects (SunEC, SunRsaSign): the signers use the JDK providers, which refuse
   * BouncyCastle key classes, and BouncyCastle's converter asks for an "ECDSA" key factory that
   * only BouncyCastle has.
   */
  static final class JdkKeys {
    PrivateKey getPrivateKey(PrivateKeyInfo info) throws IOException {
      try {
        return KeyFactory.getInstance(family(info.getPrivateKeyAlgorithm()))
            .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new IOException("not a valid private key", e);
      }
    }

    static PublicKey publicKey(SubjectPublicKeyInfo spki) throws IOException {
      try {
        return KeyFactory.getInstance(family(spki.getAlgorithm()))
            .generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
      } catch (GeneralSecurityException e) {
        throw new IOException("not a valid public key", e);
      }
    }

    private static String family(AlgorithmIdentifier alg) {
      if (alg.getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
        return "RSA";
      }
      if (alg.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
        return "EC";
      }
      throw PkiException.unsupported("CA key algorithm %s is not supported (EC P-256/P-384,"
          + " RSA)", alg.getAlgorithm());
    }
  }

  private static void needPassphrase(char[] passphrase) {
    if (passphrase == null || passphrase.length == 0) {
      throw PkiException.malformed("key is encrypted: a passphrase is needed");
    }
  }

  private static KeyAlgorithm classify(PrivateKey key) {
    try {
      PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
      return KeyAlgorithm.ofPublicKeyAlgorithm(info.getPrivateKeyAlgorithm(), bits(key));
    } catch (PkiException e) {
      throw e;
    } catch (RuntimeException e) {
      throw PkiException.unsupported("CA key type %s is not supported", key.getAlgorithm());
    }
  }

  private static int bits(PrivateKey key) {
    if (key instanceof java.security.interfaces.RSAPrivateKey rsa) {
      return rsa.getModulus().bitLength();
    }
    return 0;
  }

  public KeyAlgorithm algorithm() {
    return algorithm;
  }

  /** The certificates of the PKCS#12 key entry (the CA certificate first), if any. */
  public List<X509CertificateHolder> pkcs12Certificates() {
    return pkcs12Certificates;
  }

  /**
   * True if this key is the private half of {@code publicKey}: a fresh random challenge signed with
   * the key verifies under the public key (works for every algorithm we support).
   */
  public boolean matches(SubjectPublicKeyInfo publicKey) {
    try {
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature s = Signature.getInstance(algorithm.signatureAlgorithm());
      s.initSign(key);
      s.update(challenge);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(algorithm.signatureAlgorithm());
      v.initVerify(JdkKeys.publicKey(publicKey));
      v.update(challenge);
      return v.verify(sig);
    } catch (Exception e) {
      return false;
    }
  }

  /** Encrypts the key under the master secret, exactly as generated software keys are stored. */
  public KeyReference persist() {
    return new KeyReference.Software(algorithm, protector.encrypt(key));
  }

  public CaSigner signer(X509CertificateHolder certificate) {
    return new JcaCaSigner(certificate, algorithm.signatureAlgorithm(), key, null);
  }

  @Override
  public String toString() {
    return "ImportedKey[" + algorithm.wireName() + ", redacted]";
  }
}
