package org.keyhaven.directory;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away EC CA issuing S/MIME certificates and CRLs for directory tests. */
public final class TestPki {
  public final X500Name caName;
  private final KeyPair caKey;
  public final byte[] caCert;
  private long nextSerial = 100;

  public TestPki(String caCommonName) {
    try {
      caName = new X500Name("CN=" + caCommonName + ",O=Example");
      caKey = ecKey();
      Instant now = Instant.now();
      var b = new JcaX509v3CertificateBuilder(caName, BigInteger.ONE,
          Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofDays(3650))), caName,
          caKey.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      caCert = b.build(signer()).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private ContentSigner signer() throws Exception {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(caKey.getPrivate());
  }

  public long lastSerial() {
    return nextSerial - 1;
  }

  /** An S/MIME certificate for {@code mail}, valid from {@code from} for {@code days}. */
  public byte[] issue(String name, String mail, Instant from, int days) {
    try {
      var b = new JcaX509v3CertificateBuilder(caName, BigInteger.valueOf(nextSerial++),
          Date.from(from), Date.from(from.plus(Duration.ofDays(days))),
          new X500Name("CN=" + name), ecKey().getPublic());
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.rfc822Name, mail)));
      return b.build(signer()).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public byte[] issue(String name, String mail) {
    return issue(name, mail, Instant.now().minusSeconds(60), 365);
  }

  /** A full (or delta, when {@code baseNumber} >= 0) CRL listing {@code serials}. */
  public byte[] crl(long number, long baseNumber, long... serials) {
    try {
      Instant now = Instant.now();
      X509v2CRLBuilder b = new X509v2CRLBuilder(caName, Date.from(now.minusSeconds(10)));
      b.setNextUpdate(Date.from(now.plus(Duration.ofDays(1))));
      for (long s : serials) {
        b.addCRLEntry(BigInteger.valueOf(s), Date.from(now.minusSeconds(5)),
            CRLReason.keyCompromise);
      }
      b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
      if (baseNumber >= 0) {
        b.addExtension(Extension.deltaCRLIndicator, true,
            new CRLNumber(BigInteger.valueOf(baseNumber)));
      }
      return b.build(signer()).getEncoded();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
