package org.keyhaven.ca.crl;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.keyhaven.ca.hierarchy.CaSigner;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.ca.revocation.RevokedEntry;
import org.keyhaven.common.PkiException;

/**
 * Builds and signs one CRL (RFC 5280 §5): cRLNumber, AKI, a critical issuingDistributionPoint
 * naming the URL the CRL is served at, per-entry reasonCode and invalidityDate, and for a delta
 * CRL the critical deltaCRLIndicator; a full CRL points at its delta with freshestCRL.
 */
public final class CrlGenerator {
  /** What goes into one CRL besides its entries. */
  public record Spec(CrlKind kind, BigInteger number, BigInteger baseNumber, Instant thisUpdate,
      Instant nextUpdate, String url, String deltaUrl) {}

  private CrlGenerator() {}

  public static byte[] generate(CaSigner signer, Spec spec, Collection<RevokedEntry> entries) {
    try {
      X509CertificateHolder ca = signer.certificate();
      ExtensionsGenerator ext = new ExtensionsGenerator();
      ext.addExtension(Extension.authorityKeyIdentifier, false,
          new BcX509ExtensionUtils().createAuthorityKeyIdentifier(ca.getSubjectPublicKeyInfo()));
      ext.addExtension(Extension.cRLNumber, false, new CRLNumber(spec.number()));
      // §5.2.5: critical; names the distribution point our certificates carry, so relying parties
      // can tell this CRL covers them (OpenSSL's crl_check compares the two).
      ext.addExtension(Extension.issuingDistributionPoint, true, new IssuingDistributionPoint(
          new DistributionPointName(new GeneralNames(uri(spec.url()))), false, false));
      if (spec.kind() == CrlKind.DELTA) {
        // §5.2.4: critical; the cRLNumber of the complete CRL this delta updates.
        ext.addExtension(Extension.deltaCRLIndicator, true, new CRLNumber(spec.baseNumber()));
      } else if (spec.deltaUrl() != null) {
        // §5.2.6: where the delta CRLs for this complete CRL are.
        ext.addExtension(Extension.freshestCRL, false, new CRLDistPoint(new DistributionPoint[] {
            new DistributionPoint(new DistributionPointName(new GeneralNames(
                uri(spec.deltaUrl()))), null, null)}));
      }
      return new CrlEncoder().encode(ca, signer.newContentSigner(), spec.thisUpdate(),
          spec.nextUpdate(), entries, ext.generate());
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.internal(e, "CRL generation failed: %s", e.getMessage());
    }
  }

  private static GeneralName uri(String url) {
    return new GeneralName(GeneralName.uniformResourceIdentifier, url);
  }
}
