package org.keyhaven.ca;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Builds CSRs for tests. */
public final class Csrs {
  private Csrs() {}

  public static KeyPair ec(String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec(curve));
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair rsa(int bits) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
      g.initialize(bits);
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A builder of one CSR. */
  public static final class Builder {
    private final KeyPair key;
    private String subject = "O=Example Org,CN=Alice";
    private final List<GeneralName> names = new ArrayList<>();
    private final List<Object[]> extra = new ArrayList<>();

    public Builder(KeyPair key) {
      this.key = key;
    }

    public Builder subject(String s) {
      subject = s;
      return this;
    }

    public Builder email(String e) {
      names.add(new GeneralName(GeneralName.rfc822Name, e));
      return this;
    }

    public Builder dns(String d) {
      names.add(new GeneralName(GeneralName.dNSName, d));
      return this;
    }

    public Builder name(GeneralName n) {
      names.add(n);
      return this;
    }

    public Builder extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
      extra.add(new Object[] {oid, critical, value});
      return this;
    }

    public PKCS10CertificationRequest build() {
      try {
        var b = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), key.getPublic());
        ExtensionsGenerator g = new ExtensionsGenerator();
        if (!names.isEmpty()) {
          g.addExtension(Extension.subjectAlternativeName, false,
              new GeneralNames(names.toArray(GeneralName[]::new)));
        }
        for (Object[] x : extra) {
          g.addExtension((ASN1ObjectIdentifier) x[0], (Boolean) x[1], (ASN1Encodable) x[2]);
        }
        if (!g.isEmpty()) {
          b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, g.generate());
        }
        String alg = switch (key.getPublic().getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> "Ed25519";
        };
        return b.build(new JcaContentSignerBuilder(alg).build(key.getPrivate()));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    public String pem() {
      try {
        return IssuedCertificate.pem("CERTIFICATE REQUEST", build().getEncoded());
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public static Builder csr(KeyPair key) {
    return new Builder(key);
  }
}
