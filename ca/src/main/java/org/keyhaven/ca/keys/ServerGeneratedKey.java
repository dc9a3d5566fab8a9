package org.keyhaven.ca.keys;

import java.io.ByteArrayOutputStream;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/**
 * An end-entity key pair generated on the server for a subscriber who cannot make a CSR. The key
 * lives only in memory until it leaves as a passphrase-protected PKCS#12; it is never stored.
 */
public final class ServerGeneratedKey {
  private final KeyPair pair;
  private final String signatureAlgorithm;

  private ServerGeneratedKey(KeyPair pair, String signatureAlgorithm) {
    this.pair = pair;
    this.signatureAlgorithm = signatureAlgorithm;
  }

  public static ServerGeneratedKey generate(KeyAlgorithm algorithm) {
    return new ServerGeneratedKey(algorithm.generate(null), algorithm.signatureAlgorithm());
  }

  /** A CSR signed by the new key, so issuance runs the same checks as for client CSRs. */
  public Bytes csr(X500Name subject, List<String> emails, List<String> dnsNames) {
    try {
      var b = new JcaPKCS10CertificationRequestBuilder(subject, pair.getPublic());
      List<GeneralName> names = new ArrayList<>();
      emails.forEach(e -> names.add(new GeneralName(GeneralName.rfc822Name, e)));
      dnsNames.forEach(d -> names.add(new GeneralName(GeneralName.dNSName, d)));
      if (!names.isEmpty()) {
        ExtensionsGenerator g = new ExtensionsGenerator();
        g.addExtension(Extension.subjectAlternativeName, false,
            new GeneralNames(names.toArray(GeneralName[]::new)));
        b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, g.generate());
      }
      return Bytes.copyOf(b.build(new JcaContentSignerBuilder(signatureAlgorithm)
          .build(pair.getPrivate())).getEncoded());
    } catch (IllegalArgumentException e) {
      throw PkiException.malformed("invalid name for server-side key generation: %s",
          e.getMessage());
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot build the request for a server-generated key");
    }
  }

  /**
   * PKCS#12 with the key and chain, protected by {@code passphrase} with the JDK's PKCS#12
   * defaults (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC; HMAC-SHA256 MAC), which openssl 3 reads.
   */
  public Bytes pkcs12(String alias, List<X509CertificateHolder> chain, char[] passphrase) {
    if (passphrase == null || passphrase.length < 8) {
      throw PkiException.malformed("the PKCS#12 passphrase must have at least 8 characters");
    }
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      Certificate[] certs = chain.stream().map(CaKeys::toJca).toArray(Certificate[]::new);
      ks.setKeyEntry(alias, pair.getPrivate(), passphrase, certs);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ks.store(out, passphrase);
      return Bytes.copyOf(out.toByteArray());
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot build the PKCS#12");
    }
  }

  @Override
  public String toString() {
    return "ServerGeneratedKey[redacted]";
  }
}
