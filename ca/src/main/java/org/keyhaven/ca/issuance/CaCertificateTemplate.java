package org.keyhaven.ca.issuance;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralSubtree;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.asn1.x509.PolicyConstraints;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.keyhaven.ca.CaId;

/**
 * Builds CA certificates: basicConstraints with pathLen, keyUsage, and for subordinate CAs the
 * policy OID with requireExplicitPolicy/inhibitAnyPolicy and, for the standard policy, name
 * constraints, so that any RFC 5280 validator enforces the policy, not only this CA.
 */
public final class CaCertificateTemplate {
  private final CaUrls urls;

  public CaCertificateTemplate(CaUrls urls) {
    this.urls = urls;
  }

  /**
   * The name constraints of the standard policy: directoryName under the organisation, rfc822Name
   * and dNSName in the mail domains (RFC 5280 §4.2.1.10).
   */
  public record Subtrees(X500Name directory, List<String> mailDomains) {}

  /** A subordinate (non-self-signed) CA certificate. */
  public record Subordinate(
      X500Name subject, SubjectPublicKeyInfo key, CaId issuerId, X509CertificateHolder issuer,
      BigInteger serial, Instant notBefore, Instant notAfter, int pathLength, String policyOid,
      Subtrees nameConstraints) {}

  public X509v3CertificateBuilder root(X500Name subject, SubjectPublicKeyInfo key,
      BigInteger serial, Instant notBefore, Instant notAfter) {
    try {
      X509v3CertificateBuilder b = new X509v3CertificateBuilder(subject, serial,
          Date.from(notBefore), Date.from(notAfter), subject, key);
      // No pathLen on the root: the organisation may add CAs at any depth later.
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, caKeyUsage());
      b.addExtension(Extension.subjectKeyIdentifier, false,
          new BcX509ExtensionUtils().createSubjectKeyIdentifier(key));
      return b;
    } catch (Exception e) {
      throw CommonExtensions.buildFailure(e);
    }
  }

  public X509v3CertificateBuilder subordinate(Subordinate s) {
    try {
      X509v3CertificateBuilder b = new X509v3CertificateBuilder(s.issuer().getSubject(),
          s.serial(), Date.from(s.notBefore()), Date.from(s.notAfter()), s.subject(), s.key());
      b.addExtension(Extension.basicConstraints, true,
          s.pathLength() < 0 ? new BasicConstraints(true) : new BasicConstraints(s.pathLength()));
      b.addExtension(Extension.keyUsage, true, caKeyUsage());
      CommonExtensions.add(b, s.key(), s.issuer(), s.issuerId(), List.of(s.policyOid()), urls,
          true, false);
      // RFC 5280 §4.2.1.11/§4.2.1.14: require the policy from here on, never honour anyPolicy.
      // Both MUST be critical. requireExplicitPolicy (skipCerts 0) in the certificate the root
      // issues (the policy CA, as in PEM) governs the whole path below it, so it is written
      // there only: GnuTLS (3.7) rejects any certificate carrying a critical policyConstraints
      // as "unknown critical extension", and keeping it off the issuing CAs lets GnuTLS clients
      // (ocsptool) anchor trust at an issuing CA. inhibitAnyPolicy, which GnuTLS knows, stays
      // on every CA.
      if (isSelfSigned(s.issuer())) {
        b.addExtension(Extension.policyConstraints, true, new PolicyConstraints(BigInteger.ZERO,
            null));
      }
      b.addExtension(Extension.inhibitAnyPolicy, true, new ASN1Integer(0));
      if (s.nameConstraints() != null) {
        b.addExtension(Extension.nameConstraints, true, nameConstraints(s.nameConstraints()));
      }
      return b;
    } catch (Exception e) {
      throw CommonExtensions.buildFailure(e);
    }
  }

  private static boolean isSelfSigned(X509CertificateHolder c) {
    return c.getSubject().equals(c.getIssuer());
  }

  static NameConstraints nameConstraints(Subtrees t) {
    List<GeneralSubtree> permitted = new ArrayList<>();
    permitted.add(new GeneralSubtree(new GeneralName(t.directory())));
    for (String d : t.mailDomains()) {
      String ascii = java.net.IDN.toASCII(d);
      // An rfc822Name constraint "example.org" means mailboxes at exactly that host (§4.2.1.10).
      permitted.add(new GeneralSubtree(new GeneralName(GeneralName.rfc822Name, ascii)));
      permitted.add(new GeneralSubtree(new GeneralName(GeneralName.dNSName, ascii)));
    }
    return new NameConstraints(permitted.toArray(GeneralSubtree[]::new), null);
  }

  /**
   * keyCertSign and cRLSign, plus digitalSignature so the CA key may sign OCSP responses itself
   * (BR §7.1.2.10.7).
   */
  private static KeyUsage caKeyUsage() {
    return new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign | KeyUsage.digitalSignature);
  }
}
