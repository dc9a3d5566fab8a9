package org.keyhaven.ca.issuance;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.hierarchy.PolicyKind;

/**
 * Builds the to-be-signed end-entity certificate from an accepted request: the profile decides key
 * usage and EKU, the issuing CA decides policies and URLs. Nothing from the CSR is copied without
 * having passed policy first.
 */
public final class TbsBuilder {
  /** CA/B Forum S/MIME BR §7.1.6.1: mailbox-validated, strict. */
  public static final String CABF_SMIME_MV_STRICT = "2.23.140.1.5.1.3";

  private final CaUrls urls;
  private final boolean cabfSmimeStrict;

  public TbsBuilder(CaUrls urls, boolean cabfSmimeStrict) {
    this.urls = urls;
    this.cabfSmimeStrict = cabfSmimeStrict;
  }

  /** Everything the builder needs besides the request. */
  public record Issuing(
      CaId caId, PolicyKind policy, X509CertificateHolder caCertificate, String policyOid,
      BigInteger serial, Instant notBefore, Instant notAfter) {}

  public X509v3CertificateBuilder build(IssuanceRequest req, Issuing ca) {
    try {
      X509v3CertificateBuilder b = new X509v3CertificateBuilder(
          ca.caCertificate().getSubject(), ca.serial(), CertificateTimes.of(ca.notBefore()),
          CertificateTimes.of(ca.notAfter()), req.subject(), req.publicKey());
      Profile p = req.profile();
      // The mailbox-validated profile allows only CN/emailAddress/serialNumber in the subject
      // (SBR §7.1.4.2.2), which is exactly the persona policy; organisational subjects would need
      // the organization-validated profile, which we do not claim.
      boolean strict = cabfSmimeStrict && p.isSmime() && ca.policy() == PolicyKind.PERSONA;
      List<String> policies = new ArrayList<>();
      if (ca.policyOid() != null) {
        policies.add(ca.policyOid());
      }
      if (strict) {
        policies.add(CABF_SMIME_MV_STRICT);
      }
      boolean ocspResponder = p == Profile.OCSP_RESPONDER;
      if (ocspResponder) {
        // BR §7.1.2.8: responder certificates carry no CRL DP; AIA and policies are harmless.
        b.addExtension(Extension.subjectKeyIdentifier, false,
            new org.bouncycastle.cert.bc.BcX509ExtensionUtils()
                .createSubjectKeyIdentifier(req.publicKey()));
        b.addExtension(Extension.authorityKeyIdentifier, false,
            new org.bouncycastle.cert.bc.BcX509ExtensionUtils()
                .createAuthorityKeyIdentifier(ca.caCertificate().getSubjectPublicKeyInfo()));
        // RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck with a NULL value (0500).
        b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
      } else {
        b.addExtension(CommonExtensions.subjectKeyIdentifier(req.publicKey()));
        for (Extension e : issuerExtensions(ca, policies, strict)) {
          b.addExtension(e);
        }
      }
      b.addExtension(Extension.keyUsage, true, new KeyUsage(p.keyUsage(req.key())));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          p.extendedKeyUsage()));
      GeneralNames san = subjectAltNames(req);
      if (san != null) {
        // RFC 5280 §4.2.1.6: critical only when the subject is empty.
        boolean critical = req.subject().getRDNs().length == 0;
        b.addExtension(Extension.subjectAlternativeName, critical, san);
      }
      return b;
    } catch (Exception e) {
      throw CommonExtensions.buildFailure(e);
    }
  }

  private record IssuerKey(CaId caId, List<String> policies, boolean strict) {}

  private record IssuerExtensions(X509CertificateHolder caCertificate, List<Extension> list) {}

  /** Per issuer: its extensions, encoded once for every certificate it signs. */
  private final Map<IssuerKey, IssuerExtensions> issuers = new ConcurrentHashMap<>();

  private List<Extension> issuerExtensions(Issuing ca, List<String> policies, boolean strict)
      throws CertIOException {
    IssuerKey key = new IssuerKey(ca.caId(), policies, strict);
    IssuerExtensions hit = issuers.get(key);
    // The same certificate object, or the CA was re-read (a new holder): then encode again.
    if (hit == null || hit.caCertificate() != ca.caCertificate()) {
      hit = new IssuerExtensions(ca.caCertificate(), CommonExtensions.ofIssuer(
          ca.caCertificate(), ca.caId(), policies, urls, true, !strict));
      issuers.put(key, hit);
    }
    return hit.list();
  }

  static GeneralNames subjectAltNames(IssuanceRequest req) {
    List<GeneralName> names = new ArrayList<>();
    for (String mailbox : req.emails()) {
      if (Mailbox.isAsciiLocal(mailbox)) {
        names.add(new GeneralName(GeneralName.rfc822Name, Mailbox.toRfc822(mailbox)));
      } else {
        // RFC 8398 §3: otherName SmtpUTF8Mailbox, UTF8String, domain as U-labels.
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(IssuanceRequest.SMTP_UTF8_MAILBOX);
        v.add(new DERTaggedObject(true, 0, new DERUTF8String(mailbox)));
        names.add(new GeneralName(GeneralName.otherName, new DERSequence(v)));
      }
    }
    for (String host : req.dnsNames()) {
      names.add(new GeneralName(GeneralName.dNSName, java.net.IDN.toASCII(host)));
    }
    return names.isEmpty() ? null : new GeneralNames(names.toArray(GeneralName[]::new));
  }
}
