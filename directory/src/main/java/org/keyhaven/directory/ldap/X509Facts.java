package org.keyhaven.directory.ldap;

import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.common.PkiException;

/**
 * Total decoders for what the directory stores: a certificate's mailboxes and names, a CRL's
 * issuer, number and revoked serials. The embedded server would accept any bytes as a certificate,
 * so nothing reaches it without passing through here.
 */
final class X509Facts {
  private X509Facts() {}

  /** What a certificate contributes to the directory. */
  record Cert(X509CertificateHolder holder, String commonName, List<String> mailboxes,
      Instant notAfter, boolean isCa, String serialHex) {}

  /** What a CRL contributes; {@code number} is -1 when the CRL has no CRL number. */
  record Crl(X509CRLHolder holder, String issuerCommonName, BigInteger number, boolean delta,
      List<String> revokedSerials) {}

  static Cert certificate(byte[] der) {
    if (der == null || der.length == 0) {
      throw PkiException.malformed("empty certificate");
    }
    try {
      X509CertificateHolder h = new X509CertificateHolder(der);
      // Re-encoding must give the same bytes: DER only, no trailing garbage (RFC 5280 §4.1).
      if (!java.util.Arrays.equals(h.getEncoded(), der)) {
        throw PkiException.malformed("certificate is not in DER form");
      }
      Set<String> mail = new LinkedHashSet<>();
      GeneralNames san = GeneralNames.fromExtensions(h.getExtensions(),
          Extension.subjectAlternativeName);
      if (san != null) {
        for (GeneralName n : san.getNames()) {
          if (n.getTagNo() == GeneralName.rfc822Name) {
            mail.add(normalizeMailbox(ASN1IA5String.getInstance(n.getName()).getString()));
          }
        }
      }
      for (RDN rdn : h.getSubject().getRDNs(PKCSObjectIdentifiers.pkcs_9_at_emailAddress)) {
        mail.add(normalizeMailbox(IETFUtils.valueToString(rdn.getFirst().getValue())));
      }
      BasicConstraints bc = BasicConstraints.fromExtensions(h.getExtensions());
      return new Cert(h, commonName(h.getSubject()), List.copyOf(mail),
          h.getNotAfter().toInstant(), bc != null && bc.isCA(),
          h.getSerialNumber().toString(16));
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.malformed("not a DER X.509 certificate: %s", oneLine(e));
    }
  }

  static Crl crl(byte[] der) {
    if (der == null || der.length == 0) {
      throw PkiException.malformed("empty CRL");
    }
    try {
      X509CRLHolder h = new X509CRLHolder(der);
      if (!java.util.Arrays.equals(h.getEncoded(), der)) {
        throw PkiException.malformed("CRL is not in DER form");
      }
      Extension number = h.getExtension(Extension.cRLNumber);
      BigInteger n = number == null ? BigInteger.ONE.negate()
          : ASN1Integer.getInstance(number.getParsedValue()).getValue();
      List<String> serials = new ArrayList<>();
      for (Object o : h.getRevokedCertificates()) {
        serials.add(((X509CRLEntryHolder) o).getSerialNumber().toString(16));
      }
      return new Crl(h, commonName(h.getIssuer()), n,
          h.getExtension(Extension.deltaCRLIndicator) != null, List.copyOf(serials));
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.malformed("not a DER X.509 CRL: %s", oneLine(e));
    }
  }

  static String normalizeMailbox(String mailbox) {
    String m = mailbox.trim();
    int at = m.lastIndexOf('@');
    if (at <= 0 || at == m.length() - 1 || m.length() > 320 || m.chars().anyMatch(
        c -> c <= ' ' || c == ',' || c == '(' || c == ')' || c == '*' || c == '\\' || c > 126)) {
      throw PkiException.malformed("not a usable mailbox: %s", m);
    }
    // Domains are case-insensitive; local parts are matched case-insensitively by LDAP anyway.
    return m.toLowerCase(Locale.ROOT);
  }

  static String commonName(X500Name name) {
    RDN[] cn = name.getRDNs(BCStyle.CN);
    if (cn.length > 0) {
      ASN1Encodable v = cn[0].getFirst().getValue();
      return IETFUtils.valueToString(v);
    }
    return name.toString();
  }

  static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replaceAll("\\s+", " ");
  }
}
