package org.keyhaven.ca.hierarchy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.issuance.SerialGenerator;
import org.keyhaven.ca.store.CertificateStore;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;

/**
 * The TLS server certificate of this process's own listeners (the embedded directory's LDAPS and
 * StartTLS): a P-256 key that lives only in memory and a short-lived {@code tls-server}-profiled
 * certificate (EKU serverAuth, KU digitalSignature, SAN dNSName/iPAddress of the listener) that
 * the root CA issues for it, replaced when less than half its life is left.
 *
 * <p>Why the root and not an issuing CA: the standard and high-assurance branches carry name
 * constraints (dNSName limited to the mail domains, so {@code localhost} is excluded), and every
 * policy CA carries a critical policyConstraints that GnuTLS 3.7 — which Debian's ldapsearch
 * uses — rejects as an unknown critical extension. A leaf directly under the root validates for
 * a client that trusts the root PEM (LDAPTLS_CACERT), which is what relying parties already hold.
 */
public final class LoopbackTlsCertificates {
  /** The key, its certificate, and the chain to send (the root, for clients that want it). */
  public record Issued(KeyPair key, X509CertificateHolder certificate,
      List<X509CertificateHolder> chain) {
    public Instant notAfter() {
      return certificate.getNotAfter().toInstant();
    }

    public String serialHex() {
      return certificate.getSerialNumber().toString(16);
    }
  }

  private final CaRegistry registry;
  private final CertificateStore certificates;
  private final SerialGenerator serials;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration lifetime;
  private final List<String> names;
  private volatile Issued current;

  /**
   * @param names the host names and IP literals clients connect with (e.g. {@code localhost},
   *     {@code 127.0.0.1}); the first one is also the subject CN
   */
  public LoopbackTlsCertificates(CaRegistry registry, CertificateStore certificates,
      SerialGenerator serials, AuditLog audit, Clock clock, Duration lifetime, List<String> names) {
    if (names.isEmpty()) {
      throw new IllegalArgumentException("at least one name is needed");
    }
    this.registry = registry;
    this.certificates = certificates;
    this.serials = serials;
    this.audit = audit;
    this.clock = clock;
    this.lifetime = lifetime;
    this.names = List.copyOf(names);
  }

  /** The current certificate, issuing a first one or a replacement when past half its life. */
  public Issued current() {
    Issued c = current;
    if (c != null && !needsRenewal(c)) {
      return c;
    }
    synchronized (this) {
      c = current;
      if (c == null || needsRenewal(c)) {
        c = issue();
        current = c;
      }
      return c;
    }
  }

  boolean needsRenewal(Issued c) {
    Instant nb = c.certificate().getNotBefore().toInstant();
    Duration half = Duration.between(nb, c.notAfter()).dividedBy(2);
    return !clock.instant().isBefore(nb.plus(half));
  }

  private CaNode root() {
    return registry.find(CaId.of("root")).filter(n -> n.isRoot()
            && n.status() == CaStatus.ACTIVE)
        .or(() -> registry.all().stream()
            .filter(n -> n.isRoot() && n.status() == CaStatus.ACTIVE).findFirst())
        .orElseThrow(() -> PkiException.conflict("no active root CA to certify the TLS key"));
  }

  private Issued issue() {
    CaNode root = root();
    CaSigner signer = registry.signer(root.id());
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair key = g.generateKeyPair();
      Instant now = clock.instant();
      Instant notBefore = now.minusSeconds(60);
      Instant notAfter = now.plus(lifetime);
      X509CertificateHolder caCert = signer.certificate();
      if (notAfter.isAfter(caCert.getNotAfter().toInstant())) {
        notAfter = caCert.getNotAfter().toInstant();
      }
      BigInteger serial = serials.next();
      certificates.reserveSerial(root.id(), serial, now);
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded());
      X509v3CertificateBuilder b = new X509v3CertificateBuilder(caCert.getSubject(), serial,
          Date.from(notBefore), Date.from(notAfter), subject(caCert.getSubject()), spki);
      BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
      b.addExtension(Extension.subjectAlternativeName, false, subjectAltNames(names));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          ext.createAuthorityKeyIdentifier(caCert.getSubjectPublicKeyInfo()));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
      X509CertificateHolder cert = b.build(signer.newContentSigner());
      audit.record("system", "tls.certificate.issue", root.id() + "/" + serial.toString(16),
          AuditLog.SUCCESS, String.join(",", names) + " valid until " + notAfter);
      List<X509CertificateHolder> chain = new ArrayList<>();
      chain.add(cert);
      chain.add(caCert);
      return new Issued(key, cert, List.copyOf(chain));
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot issue the TLS certificate for %s", names);
    }
  }

  /** IP literals become iPAddress names (RFC 5280 §4.2.1.6: 4 or 16 octets), the rest dNSName. */
  static GeneralNames subjectAltNames(List<String> names) throws java.io.IOException {
    List<GeneralName> out = new ArrayList<>();
    for (String n : names) {
      if (isIpLiteral(n)) {
        out.add(new GeneralName(GeneralName.iPAddress,
            new DEROctetString(InetAddress.getByName(n).getAddress())));
      } else {
        out.add(new GeneralName(GeneralName.dNSName, n));
      }
    }
    return new GeneralNames(out.toArray(new GeneralName[0]));
  }

  /** Only literal addresses; never resolves a host name (InetAddress would). */
  static boolean isIpLiteral(String n) {
    return n.matches("[0-9.]+") || n.contains(":");
  }

  private X500Name subject(X500Name caSubject) {
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    var org = caSubject.getRDNs(BCStyle.O);
    if (org.length > 0) {
      nb.addRDN(BCStyle.O, org[0].getFirst().getValue());
    }
    nb.addRDN(BCStyle.CN, names.get(0));
    return nb.build();
  }
}
