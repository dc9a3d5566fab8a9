package org.keyhaven.ca.ocsp;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.CaRegistry;
import org.keyhaven.ca.hierarchy.CaSigner;
import org.keyhaven.ca.issuance.SerialGenerator;
import org.keyhaven.ca.store.CertificateStore;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;

/**
 * One delegated OCSP responder per CA (RFC 6960 §4.2.2.2): a P-256 key that lives only in this
 * process's memory and a short-lived certificate the CA issues for it, profiled as BR §7.1.2.8
 * asks (EKU id-kp-OCSPSigning only, KU digitalSignature, id-pkix-ocsp-nocheck = 0500, no SAN, no
 * CRL DP, no basicConstraints). It is replaced when less than half its life is left.
 */
public final class DelegatedResponders {
  /** A responder key with its certificate and the CA chain sent along with responses. */
  public record Responder(CaId ca, KeyPair key, X509CertificateHolder certificate,
      List<X509CertificateHolder> chain, Instant notAfter, Instant rotateAt) {
    /** Reads the validity once: it is checked on every OCSP answer. */
    Responder(CaId ca, KeyPair key, X509CertificateHolder certificate,
        List<X509CertificateHolder> chain) {
      this(ca, key, certificate, chain, certificate.getNotAfter().toInstant(),
          rotationTime(certificate));
    }

    /** Half-way through the certificate's life. */
    private static Instant rotationTime(X509CertificateHolder c) {
      Instant nb = c.getNotBefore().toInstant();
      return nb.plus(Duration.between(nb, c.getNotAfter().toInstant()).dividedBy(2));
    }
  }

  private final CaRegistry registry;
  private final CertificateStore certificates;
  private final SerialGenerator serials;
  private final ResponderLog log;
  private final AuditLog audit;
  private final Clock clock;
  private final Duration lifetime;
  private final Map<CaId, Responder> current = new ConcurrentHashMap<>();
  private final List<Runnable> rotationListeners = new java.util.concurrent.CopyOnWriteArrayList<>();

  public DelegatedResponders(CaRegistry registry, CertificateStore certificates,
      SerialGenerator serials, ResponderLog log, AuditLog audit, Clock clock, Duration lifetime) {
    this.registry = registry;
    this.certificates = certificates;
    this.serials = serials;
    this.log = log;
    this.audit = audit;
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** Called after a rotation (the response cache holds answers signed by the old key). */
  public void onRotation(Runnable r) {
    rotationListeners.add(r);
  }

  /** The responder for {@code ca}, issuing or rotating its certificate when needed. */
  public Responder forCa(CaId ca) {
    Responder r = current.get(ca);
    if (r != null && !needsRotation(r)) {
      return r;
    }
    synchronized (this) {
      r = current.get(ca);
      if (r == null || needsRotation(r)) {
        r = issue(ca);
        current.put(ca, r);
        rotationListeners.forEach(Runnable::run);
      }
      return r;
    }
  }

  /** Rotates every responder that is past half its life (the scheduler's tick). */
  public void rotateDue() {
    for (CaId ca : List.copyOf(current.keySet())) {
      forCa(ca);
    }
  }

  private boolean needsRotation(Responder r) {
    return clock.instant().isAfter(r.rotateAt());
  }

  private Responder issue(CaId caId) {
    CaNode ca = registry.find(caId)
        .orElseThrow(() -> PkiException.notFound("no CA '%s'", caId));
    CaSigner signer = registry.signer(caId);
    try {
      // A BouncyCastle key: every answer with a nonce is signed with it on the request path,
      // and BouncyCastle signs P-256 several times faster with its own key objects.
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC",
          org.keyhaven.ca.keys.BcProvider.INSTANCE);
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair key = g.generateKeyPair();
      Instant now = clock.instant();
      // BR §7.1.2.8: notBefore no more than a day before signing; a minute covers clock skew.
      Instant notBefore = now.minusSeconds(60);
      Instant notAfter = now.plus(lifetime);
      BigInteger serial = serials.next();
      certificates.reserveSerial(caId, serial, now);
      X509CertificateHolder caCert = signer.certificate();
      SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded());
      X509v3CertificateBuilder b = new X509v3CertificateBuilder(caCert.getSubject(), serial,
          Date.from(notBefore), Date.from(notAfter), subject(caCert.getSubject(), caId), spki);
      BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
      b.addExtension(Extension.authorityKeyIdentifier, false,
          ext.createAuthorityKeyIdentifier(caCert.getSubjectPublicKeyInfo()));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(spki));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
      // RFC 6960 §4.2.2.2.1: clients need not check this certificate's status; value NULL.
      b.addExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE);
      X509CertificateHolder cert = b.build(signer.newContentSigner());
      log.record(caId, serial, notBefore, notAfter, cert.getEncoded());
      audit.record("system", "ocsp.responder.issue", caId + "/" + serial.toString(16),
          AuditLog.SUCCESS, "valid until " + notAfter);
      return new Responder(caId, key, cert, chainOf(ca));
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot issue an OCSP responder certificate for %s", caId);
    }
  }

  /** The CA and its ancestors below the root; the root is the relying party's trust anchor. */
  private List<X509CertificateHolder> chainOf(CaNode ca) {
    List<X509CertificateHolder> out = new ArrayList<>();
    for (CaNode n : registry.chain(ca.id())) {
      if (!n.isRoot()) {
        out.add(n.certificateHolder());
      }
    }
    return out;
  }

  private static X500Name subject(X500Name caSubject, CaId caId) {
    X500NameBuilder nb = new X500NameBuilder(BCStyle.INSTANCE);
    var org = caSubject.getRDNs(BCStyle.O);
    if (org.length > 0) {
      nb.addRDN(BCStyle.O, org[0].getFirst().getValue());
    }
    nb.addRDN(BCStyle.CN, caId + " OCSP Responder");
    return nb.build();
  }
}
