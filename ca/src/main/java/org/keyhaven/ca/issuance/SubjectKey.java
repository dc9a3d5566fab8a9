package org.keyhaven.ca.issuance;

import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.keyhaven.common.PkiException;

/**
 * What kind of public key a request carries, classified once so that policy can reason about it.
 *
 * @param bits RSA modulus length, or the curve's field size (255 for Ed25519)
 */
public record SubjectKey(Type type, int bits) {
  /** Key families we certify (SBR §6.1.5 minus Ed448). */
  public enum Type {
    RSA,
    EC_P256,
    EC_P384,
    ED25519
  }

  public boolean isRsa() {
    return type == Type.RSA;
  }

  public boolean isEc() {
    return type == Type.EC_P256 || type == Type.EC_P384;
  }

  public String describe() {
    switch (type) {
      case RSA:
        return "RSA-" + bits;
      case EC_P256:
        return "EC P-256";
      case EC_P384:
        return "EC P-384";
      default:
        return "Ed25519";
    }
  }

  /** Classifies {@code spki}; unsupported algorithms and curves are UNSUPPORTED. */
  public static SubjectKey of(SubjectPublicKeyInfo spki) {
    ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
    if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      RSAPublicKey rsa;
      try {
        rsa = RSAPublicKey.getInstance(spki.parsePublicKey());
      } catch (Exception e) {
        throw PkiException.malformed("RSA public key is not valid DER");
      }
      BigInteger n = rsa.getModulus();
      BigInteger e = rsa.getPublicExponent();
      // SBR §6.1.6: odd exponent >= 3, odd modulus.
      if (!e.testBit(0) || e.compareTo(BigInteger.valueOf(3)) < 0 || !n.testBit(0)) {
        throw PkiException.policy(
            "rule key-quality: RSA public exponent and modulus must be odd, exponent >= 3");
      }
      return new SubjectKey(Type.RSA, n.bitLength());
    }
    if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      var params = spki.getAlgorithm().getParameters();
      // Named curves only: explicit parameters were CVE-2020-0601 ("CurveBall").
      if (!(params instanceof ASN1ObjectIdentifier curve)) {
        throw PkiException.unsupported("EC keys must use a named curve (P-256 or P-384)");
      }
      if (curve.equals(SECObjectIdentifiers.secp256r1)) {
        return new SubjectKey(Type.EC_P256, 256);
      }
      if (curve.equals(SECObjectIdentifiers.secp384r1)) {
        return new SubjectKey(Type.EC_P384, 384);
      }
      throw PkiException.unsupported("EC curve %s is not supported (P-256 or P-384)", curve);
    }
    if (alg.equals(EdECObjectIdentifiers.id_Ed25519)) {
      return new SubjectKey(Type.ED25519, 255);
    }
    throw PkiException.unsupported(
        "public key algorithm %s is not supported (RSA, EC P-256/P-384, Ed25519)", alg);
  }
}
