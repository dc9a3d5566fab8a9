package org.keyhaven.ca.issuance;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509ExtensionUtils;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.keyhaven.ca.CaId;
import org.keyhaven.common.PkiException;

/** Extensions every non-root certificate carries: SKI, AKI, policies, AIA and CRL DP. */
final class CommonExtensions {
  private static final X509ExtensionUtils UTILS = new BcX509ExtensionUtils();

  private CommonExtensions() {}

  /**
   * Adds SKI (RFC 5280 §4.2.1.2, method 1), AKI with keyIdentifier only (SBR §7.1.2.3(g)),
   * certificatePolicies, AIA (caIssuers + OCSP) and CRL distribution points.
   */
  static void add(X509v3CertificateBuilder b, SubjectPublicKeyInfo subjectKey,
      X509CertificateHolder issuer, CaId issuerId, List<String> policyOids, CaUrls urls,
      boolean withOcspUrl, boolean ldapCrl) throws CertIOException {
    b.addExtension(subjectKeyIdentifier(subjectKey));
    for (Extension e : ofIssuer(issuer, issuerId, policyOids, urls, withOcspUrl, ldapCrl)) {
      b.addExtension(e);
    }
  }

  /** SKI (RFC 5280 §4.2.1.2, method 1: SHA-1 of the subjectPublicKey bits), not critical. */
  static Extension subjectKeyIdentifier(SubjectPublicKeyInfo subjectKey) throws CertIOException {
    return extension(Extension.subjectKeyIdentifier, UTILS.createSubjectKeyIdentifier(subjectKey));
  }

  /**
   * The extensions that depend only on the issuer, in the order {@link #add} writes them after
   * the SKI: AKI, certificatePolicies, AIA, CRL DP and freshestCRL, encoded once. Every
   * certificate an issuer signs carries the same bytes here, so callers may keep the list.
   */
  static List<Extension> ofIssuer(X509CertificateHolder issuer, CaId issuerId,
      List<String> policyOids, CaUrls urls, boolean withOcspUrl, boolean ldapCrl)
      throws CertIOException {
    List<Extension> out = new ArrayList<>();
    out.add(extension(Extension.authorityKeyIdentifier,
        UTILS.createAuthorityKeyIdentifier(issuer.getSubjectPublicKeyInfo())));
    if (!policyOids.isEmpty()) {
      PolicyInformation[] infos = policyOids.stream()
          .map(o -> new PolicyInformation(new ASN1ObjectIdentifier(o)))
          .toArray(PolicyInformation[]::new);
      out.add(extension(Extension.certificatePolicies, new CertificatePolicies(infos)));
    }
    List<AccessDescription> aia = new ArrayList<>();
    if (withOcspUrl) {
      aia.add(new AccessDescription(AccessDescription.id_ad_ocsp,
          uri(urls.ocsp())));
    }
    aia.add(new AccessDescription(AccessDescription.id_ad_caIssuers,
        uri(urls.caIssuers(issuerId))));
    out.add(extension(Extension.authorityInfoAccess,
        new AuthorityInformationAccess(aia.toArray(AccessDescription[]::new))));
    List<GeneralName> crl = new ArrayList<>();
    crl.add(uri(urls.crl(issuerId)));
    String ldap = urls.ldapCrl(commonName(issuer));
    if (ldapCrl && ldap != null) {
      crl.add(uri(ldap));
    }
    DistributionPoint dp = new DistributionPoint(
        new DistributionPointName(new GeneralNames(crl.toArray(GeneralName[]::new))), null, null);
    out.add(extension(Extension.cRLDistributionPoints,
        new CRLDistPoint(new DistributionPoint[] {dp})));
    // RFC 5280 §5.2.6: where the issuer's delta CRLs are (non-critical).
    DistributionPoint delta = new DistributionPoint(new DistributionPointName(
        new GeneralNames(uri(urls.deltaCrl(issuerId)))), null, null);
    out.add(extension(Extension.freshestCRL, new CRLDistPoint(new DistributionPoint[] {delta})));
    return List.copyOf(out);
  }

  /** A non-critical extension with {@code value} DER-encoded. */
  private static Extension extension(ASN1ObjectIdentifier oid, ASN1Encodable value)
      throws CertIOException {
    try {
      return new Extension(oid, false, value.toASN1Primitive().getEncoded(ASN1Encoding.DER));
    } catch (java.io.IOException e) {
      throw new CertIOException("cannot encode extension " + oid, e);
    }
  }

  /** The issuer's CN, RFC 4514-escaped, as the directory names CA entries. */
  static String commonName(X509CertificateHolder issuer) {
    var rdns = issuer.getSubject().getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
    if (rdns.length == 0) {
      return "unnamed";
    }
    return org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(rdns[0].getFirst().getValue());
  }

  static GeneralName uri(String s) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, s);
  }

  static PkiException buildFailure(Exception e) {
    return PkiException.internal(e, "cannot build certificate");
  }
}
