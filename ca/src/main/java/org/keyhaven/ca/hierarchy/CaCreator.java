package org.keyhaven.ca.hierarchy;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.keyhaven.ca.CaConfig;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.issuance.CaCertificateTemplate;
import org.keyhaven.ca.issuance.CaUrls;
import org.keyhaven.ca.issuance.IssuanceRequest;
import org.keyhaven.ca.issuance.SerialGenerator;
import org.keyhaven.ca.keys.CaKeys;
import org.keyhaven.ca.keys.KeyAlgorithm;
import org.keyhaven.ca.keys.KeyReference;
import org.keyhaven.ca.policy.HierarchyPolicy;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.CaStore;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.ca.store.CertificateStore;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/** Creates CAs: generates the key, certifies it under the parent (or self-signs), stores it. */
public final class CaCreator {
  private static final Duration ROOT_VALIDITY = Duration.ofDays(20 * 365);
  private static final Duration SUB_VALIDITY = Duration.ofDays(10 * 365);

  private final CaConfig config;
  private final CaKeys keys;
  private final StoredCaRegistry registry;
  private final CaStore caStore;
  private final CertificateStore certificates;
  private final SerialGenerator serials;
  private final Clock clock;
  private final CaCertificateTemplate template;

  public CaCreator(CaConfig config, CaKeys keys, StoredCaRegistry registry, CaStore caStore,
      CertificateStore certificates, SerialGenerator serials, Clock clock) {
    this.config = config;
    this.keys = keys;
    this.registry = registry;
    this.caStore = caStore;
    this.certificates = certificates;
    this.serials = serials;
    this.clock = clock;
    this.template = new CaCertificateTemplate(CaUrls.of(config));
  }

  /**
   * What to create.
   *
   * @param parent empty for a new root
   * @param policyOid null for the default OID of the policy kind
   * @param pathLength null for "one less than the parent" (0 under an unconstrained root)
   * @param validityDays null for the default (20 years root, 10 years otherwise), clamped to the
   *     parent's notAfter
   */
  public record NewCa(CaId id, Optional<CaId> parent, PolicyKind policy, String policyOid,
      KeyAlgorithm keyAlgorithm, String commonName, Integer pathLength, Integer validityDays,
      boolean onToken) {}

  public CaNode create(NewCa req, String actor) {
    if (registry.find(req.id()).isPresent()) {
      throw PkiException.conflict("CA '%s' already exists", req.id());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    CaKeys.NewKey key = keys.generate(req.keyAlgorithm(), req.onToken());
    SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded());
    X500Name subject = subject(req.commonName());
    BigInteger serial = reserve(req.parent().orElse(req.id()), now);
    X509CertificateHolder cert;
    List<X509CertificateHolder> chain = new ArrayList<>();
    int pathLength;
    String policyOid;
    if (req.parent().isEmpty()) {
      pathLength = -1;
      policyOid = null;
      Instant until = now.plus(validity(req.validityDays(), ROOT_VALIDITY));
      cert = template.root(subject, spki, serial, now, until).build(key.selfSigner());
    } else {
      CaNode parent = registry.find(req.parent().get())
          .orElseThrow(() -> PkiException.notFound("no CA '%s'", req.parent().get()));
      HierarchyPolicy.checkChild(parent, req.policy(), req.keyAlgorithm());
      pathLength = pathLength(parent, req.pathLength());
      policyOid = req.policyOid() != null ? req.policyOid() : inheritedOid(parent, req.policy());
      CaSigner parentSigner = registry.signer(parent.id());
      Instant parentEnd = parentSigner.certificate().getNotAfter().toInstant();
      Instant until = now.plus(validity(req.validityDays(), SUB_VALIDITY));
      if (until.isAfter(parentEnd)) {
        until = parentEnd;
      }
      CaCertificateTemplate.Subtrees nc = constrained(req.policy())
          ? new CaCertificateTemplate.Subtrees(organisation(), config.mailDomains()) : null;
      X509v3CertificateBuilder b = template.subordinate(new CaCertificateTemplate.Subordinate(
          subject, spki, parent.id(), parentSigner.certificate(), serial, now, until, pathLength,
          policyOid, nc));
      cert = b.build(parentSigner.newContentSigner());
      registry.chain(parent.id()).forEach(n -> chain.add(n.certificateHolder()));
    }
    chain.add(0, cert);
    KeyReference ref = key.persist("keyhaven-" + req.id(), chain);
    Bytes der = encoded(cert);
    CaNode node = new CaNode(req.id(), req.parent(),
        req.parent().isEmpty() ? PolicyKind.NONE : req.policy(), policyOid, pathLength, der,
        keyHash(spki), ref, CaStatus.ACTIVE, now);
    IssuedCertificate issued = new IssuedCertificate(serial, req.parent().orElse(req.id()),
        IssuedCertificate.CA_PROFILE, cert.getSubject().toString(), List.of(),
        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), der,
        CertificateStatus.GOOD, now, actor);
    PublicationEvent ev = new PublicationEvent(0, PublicationEvent.Kind.CA_CERTIFICATE,
        req.id().value(), issued.serialHex(), issued.subject(), List.of(), der, now);
    caStore.insert(node, issued, ev);
    registry.remember(req.id(), key.signer(cert));
    return node;
  }

  /**
   * A cross-certificate to issue: CA {@code issuer} certifies an external CA's subject and key,
   * taken from its CA certificate or from a CSR (whose signature proves possession of the key).
   *
   * @param policy null for the issuer's policy (required under a root)
   */
  public record CrossCertify(CaId issuer, String certificatePem, String csrPem, PolicyKind policy,
      String policyOid, Integer pathLength, Integer validityDays) {}

  /**
   * Issues a CA certificate over an external CA's subject and key with the same rules and
   * extensions as our own subordinate CAs (path length, policy OID with requireExplicitPolicy and
   * inhibitAnyPolicy, name constraints for standard and high assurance). The external CA does not
   * become a CA of this server; the certificate is stored (and revocable) like any we issue.
   */
  public IssuedCertificate crossCertify(CrossCertify req, String actor) {
    CaNode parent = registry.find(req.issuer())
        .orElseThrow(() -> PkiException.notFound("no CA '%s'", req.issuer()));
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    boolean hasCert = req.certificatePem() != null && !req.certificatePem().isBlank();
    boolean hasCsr = req.csrPem() != null && !req.csrPem().isBlank();
    if (hasCert == hasCsr) {
      throw PkiException.malformed("send the external CA's certificate or a csr (one of them)");
    }
    X500Name subject;
    SubjectPublicKeyInfo spki;
    Instant externalEnd = null;
    if (hasCert) {
      X509CertificateHolder ext = ExternalCertificates.parseOne(req.certificatePem(),
          "certificate");
      ExternalCertificates.requireCa(ext, "certificate", now);
      subject = ext.getSubject();
      spki = ext.getSubjectPublicKeyInfo();
      externalEnd = ext.getNotAfter().toInstant();
    } else {
      var csr = IssuanceRequest.decodeCsr(req.csrPem());
      subject = csr.getSubject();
      spki = csr.getSubjectPublicKeyInfo();
    }
    registry.findByKeyHash(keyHash(spki)).ifPresent(n -> {
      throw PkiException.malformed("that key belongs to our CA %s; cross-certify external CAs"
          + " only", n.id());
    });
    PolicyKind kind = req.policy() != null ? req.policy() : parent.policy();
    HierarchyPolicy.checkChild(parent, kind, KeyAlgorithm.ofSubjectPublicKey(spki));
    int pathLength = pathLength(parent, req.pathLength());
    String policyOid = req.policyOid() != null ? req.policyOid() : inheritedOid(parent, kind);
    CaSigner parentSigner = registry.signer(parent.id());
    Instant until = now.plus(validity(req.validityDays(), SUB_VALIDITY));
    Instant parentEnd = parentSigner.certificate().getNotAfter().toInstant();
    until = until.isAfter(parentEnd) ? parentEnd : until;
    until = externalEnd != null && until.isAfter(externalEnd) ? externalEnd : until;
    BigInteger serial = reserve(parent.id(), now);
    CaCertificateTemplate.Subtrees nc = constrained(kind)
        ? new CaCertificateTemplate.Subtrees(organisation(), config.mailDomains()) : null;
    X509CertificateHolder cert = template.subordinate(new CaCertificateTemplate.Subordinate(
        subject, spki, parent.id(), parentSigner.certificate(), serial, now, until, pathLength,
        policyOid, nc)).build(parentSigner.newContentSigner());
    Bytes der = encoded(cert);
    IssuedCertificate issued = new IssuedCertificate(serial, parent.id(),
        IssuedCertificate.CA_PROFILE, cert.getSubject().toString(), List.of(),
        cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), der,
        CertificateStatus.GOOD, now, actor);
    certificates.save(issued, new PublicationEvent(0, PublicationEvent.Kind.CA_CERTIFICATE,
        parent.id().value(), issued.serialHex(), issued.subject(), List.of(), der, now));
    return issued;
  }

  /**
   * A child of the same policy keeps its parent's OID (an imported CA may assert its own OID, and
   * with requireExplicitPolicy a different one below it would break every path); otherwise the
   * policy's default OID.
   */
  private String inheritedOid(CaNode parent, PolicyKind kind) {
    if (parent.policy() == kind && parent.policyOid() != null) {
      return parent.policyOid();
    }
    return config.defaultPolicyOid(kind);
  }

  /** The standard and high-assurance branches carry name constraints; persona does not. */
  static boolean constrained(PolicyKind kind) {
    return kind == PolicyKind.STANDARD || kind == PolicyKind.HIGH_ASSURANCE;
  }

  /** The organisation's directoryName subtree, {@code O=<org>}. */
  public X500Name organisation() {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, config.organisation()).build();
  }

  private X500Name subject(String commonName) {
    if (commonName == null || commonName.isBlank() || commonName.length() > 64) {
      throw PkiException.malformed("CA common name must be 1-64 characters");
    }
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.O, config.organisation())
        .addRDN(BCStyle.CN, commonName)
        .build();
  }

  private static int pathLength(CaNode parent, Integer asked) {
    int max = parent.pathLength() < 0 ? Integer.MAX_VALUE : parent.pathLength() - 1;
    int value = asked != null ? asked : (parent.pathLength() < 0 ? 0 : max);
    if (value < 0 || value > max) {
      throw PkiException.policy("rule path-length: pathLength %d is not allowed under CA %s",
          value, parent.id());
    }
    return value;
  }

  private static Duration validity(Integer days, Duration dflt) {
    if (days == null) {
      return dflt;
    }
    if (days < 1 || days > 30 * 366) {
      throw PkiException.malformed("CA validity must be 1 to %d days", 30 * 366);
    }
    return Duration.ofDays(days);
  }

  private BigInteger reserve(CaId issuer, Instant now) {
    for (int attempt = 0; ; attempt++) {
      BigInteger s = serials.next();
      try {
        certificates.reserveSerial(issuer, s, now);
        return s;
      } catch (PkiException e) {
        if (e.kind() != org.keyhaven.common.ErrorKind.CONFLICT || attempt >= 3) {
          throw e;
        }
      }
    }
  }

  static Bytes encoded(X509CertificateHolder cert) {
    try {
      return Bytes.copyOf(cert.getEncoded());
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot encode certificate");
    }
  }

  /** SHA-1 of the subjectPublicKey BIT STRING contents (RFC 6960 §4.1.1 issuerKeyHash). */
  public static Bytes keyHash(SubjectPublicKeyInfo spki) {
    try {
      return Bytes.copyOf(MessageDigest.getInstance("SHA-1")
          .digest(spki.getPublicKeyData().getBytes()));
    } catch (Exception e) {
      throw PkiException.internal(e, "SHA-1 unavailable");
    }
  }
}
