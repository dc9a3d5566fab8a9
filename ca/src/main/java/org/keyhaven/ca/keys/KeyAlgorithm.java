package org.keyhaven.ca.keys;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.spec.ECGenParameterSpec;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.keyhaven.common.PkiException;

/** Key types a CA key may have, with the signature algorithm we use for each. */
public enum KeyAlgorithm {
  EC_P256("ec-p256", "EC", "secp256r1", 256, "SHA256withECDSA"),
  EC_P384("ec-p384", "EC", "secp384r1", 384, "SHA384withECDSA"),
  RSA_2048("rsa-2048", "RSA", null, 2048, "SHA256withRSA"),
  RSA_3072("rsa-3072", "RSA", null, 3072, "SHA256withRSA"),
  RSA_4096("rsa-4096", "RSA", null, 4096, "SHA384withRSA");

  private final String wireName;
  private final String jcaName;
  private final String curve;
  private final int bits;
  private final String signatureAlgorithm;

  KeyAlgorithm(String wireName, String jcaName, String curve, int bits, String sigAlg) {
    this.wireName = wireName;
    this.jcaName = jcaName;
    this.curve = curve;
    this.bits = bits;
    this.signatureAlgorithm = sigAlg;
  }

  public String wireName() {
    return wireName;
  }

  public String signatureAlgorithm() {
    return signatureAlgorithm;
  }

  public boolean isRsa() {
    return curve == null;
  }

  public int bits() {
    return bits;
  }

  public static KeyAlgorithm fromWire(String name) {
    if (name != null) {
      String n = name.toLowerCase(Locale.ROOT);
      for (KeyAlgorithm a : values()) {
        if (a.wireName.equals(n)) {
          return a;
        }
      }
    }
    throw PkiException.malformed(
        "unknown key algorithm '%s' (expected ec-p256, ec-p384, rsa-2048, rsa-3072 or rsa-4096)",
        name);
  }

  /**
   * The algorithm of an existing key from its (public or private) key algorithm identifier;
   * {@code rsaBits} is the modulus length for RSA. Anything outside the enum is UNSUPPORTED.
   */
  public static KeyAlgorithm ofPublicKeyAlgorithm(AlgorithmIdentifier alg, int rsaBits) {
    if (alg.getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
      for (KeyAlgorithm a : values()) {
        if (a.isRsa() && a.bits == rsaBits) {
          return a;
        }
      }
      throw PkiException.unsupported("RSA CA keys must have 2048, 3072 or 4096 bits, not %d",
          rsaBits);
    }
    if (alg.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      if (alg.getParameters() instanceof ASN1ObjectIdentifier curve) {
        if (curve.equals(SECObjectIdentifiers.secp256r1)) {
          return EC_P256;
        }
        if (curve.equals(SECObjectIdentifiers.secp384r1)) {
          return EC_P384;
        }
      }
      throw PkiException.unsupported("EC CA keys must be on the named curve P-256 or P-384");
    }
    throw PkiException.unsupported("CA key algorithm %s is not supported (EC P-256/P-384, RSA)",
        alg.getAlgorithm());
  }

  /** The algorithm of a public key; UNSUPPORTED outside the enum, MALFORMED if undecodable. */
  public static KeyAlgorithm ofSubjectPublicKey(SubjectPublicKeyInfo spki) {
    int bits = 0;
    if (spki.getAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.rsaEncryption)) {
      try {
        bits = RSAPublicKey.getInstance(spki.parsePublicKey()).getModulus().bitLength();
      } catch (Exception e) {
        throw PkiException.malformed("RSA public key is not valid DER");
      }
    }
    return ofPublicKeyAlgorithm(spki.getAlgorithm(), bits);
  }

  /** Generates a key pair, in {@code provider} if given (an HSM) or in software. */
  public KeyPair generate(Provider provider) {
    try {
      KeyPairGenerator g =
          provider == null
              ? KeyPairGenerator.getInstance(jcaName)
              : KeyPairGenerator.getInstance(jcaName, provider);
      if (curve != null) {
        g.initialize(new ECGenParameterSpec(curve));
      } else {
        g.initialize(bits);
      }
      return g.generateKeyPair();
    } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
      throw PkiException.internal(e, "cannot generate %s key", wireName);
    }
  }
}
