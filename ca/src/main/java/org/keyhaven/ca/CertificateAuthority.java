package org.keyhaven.ca;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.hierarchy.CaCreator;
import org.keyhaven.ca.hierarchy.CaImporter;
import org.keyhaven.ca.hierarchy.LinkedCertificate;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.CaRegistry;
import org.keyhaven.ca.hierarchy.CaStatus;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.hierarchy.StoredCaRegistry;
import org.keyhaven.ca.issuance.CaUrls;
import org.keyhaven.ca.issuance.IssuanceRequest;
import org.keyhaven.ca.issuance.Profile;
import org.keyhaven.ca.issuance.SerialGenerator;
import org.keyhaven.ca.issuance.TbsBuilder;
import org.keyhaven.ca.keys.CaKeys;
import org.keyhaven.ca.keys.KeyAlgorithm;
import org.keyhaven.ca.keys.ServerGeneratedKey;
import org.keyhaven.ca.policy.IssuancePolicy;
import org.keyhaven.ca.store.ApprovalStore;
import org.keyhaven.ca.store.CaStore;
import org.keyhaven.ca.store.CertificateQuery;
import org.keyhaven.ca.store.CertificateStore;
import org.keyhaven.ca.store.OutboxStore;
import org.keyhaven.ca.store.Page;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/**
 * The CA façade: bootstraps the default hierarchy, creates CAs, issues certificates (directly or
 * through a two-person approval) and looks them up. Every state change is audited.
 */
public final class CertificateAuthority {
  private final CaConfig config;
  private final StoredCaRegistry registry;
  private final CaCreator creator;
  private final CaImporter importer;
  private final CaStore cas;
  private final CertificateStore certificates;
  private final ApprovalStore approvals;
  private final OutboxStore outbox;
  private final Issuer issuer;
  private final AuditLog audit;
  private final Clock clock;

  /** Stores, keys and serial source, built by {@code JdbcCertificateAuthority.open} or by tests. */
  public record Parts(CaStore cas, CertificateStore certificates, ApprovalStore approvals,
      OutboxStore outbox, CaKeys keys, SerialGenerator serials) {}

  public CertificateAuthority(CaConfig config, Parts parts, AuditLog audit, Clock clock) {
    this.config = config;
    this.audit = audit;
    this.clock = clock;
    this.certificates = parts.certificates();
    this.approvals = parts.approvals();
    this.outbox = parts.outbox();
    this.cas = parts.cas();
    this.registry = new StoredCaRegistry(parts.cas(), parts.keys());
    this.importer = new CaImporter(config, parts.keys(), registry, parts.cas(), clock);
    this.creator = new CaCreator(config, parts.keys(), registry, parts.cas(),
        parts.certificates(), parts.serials(), clock);
    this.issuer = new Issuer(registry, parts.certificates(), parts.serials(),
        new TbsBuilder(CaUrls.of(config), config.cabfSmimeStrict()), audit, clock);
  }

  /**
   * Creates the default hierarchy when there is no CA yet: {@code root}; {@code pca-high},
   * {@code pca-standard}, {@code pca-persona}; {@code ca-high}, {@code ca-mail}, {@code
   * ca-persona}. Does nothing when CAs exist, so it is safe on every start.
   */
  public void bootstrap() {
    if (!registry.all().isEmpty()) {
      return;
    }
    String org = config.organisation();
    KeyAlgorithm k = KeyAlgorithm.EC_P384;
    create(new CaCreator.NewCa(CaId.of("root"), Optional.empty(), PolicyKind.NONE, null, k,
        org + " Root CA", null, null, false), "system");
    String[][] branches = {
      {"high", "high-assurance", "High Assurance"},
      {"standard", "standard", "Standard"},
      {"persona", "persona", "Persona"},
    };
    for (String[] b : branches) {
      PolicyKind kind = PolicyKind.fromWire(b[1]);
      create(new CaCreator.NewCa(CaId.of("pca-" + b[0]), Optional.of(CaId.of("root")), kind,
          null, k, org + " " + b[2] + " Policy CA", 1, null, false), "system");
    }
    String[][] issuing = {{"ca-high", "pca-high", "High Assurance"},
        {"ca-mail", "pca-standard", "Mail"}, {"ca-persona", "pca-persona", "Persona"}};
    for (String[] i : issuing) {
      PolicyKind kind = registry.find(CaId.of(i[1])).orElseThrow().policy();
      create(new CaCreator.NewCa(CaId.of(i[0]), Optional.of(CaId.of(i[1])), kind, null, k,
          org + " " + i[2] + " Issuing CA", 0, null, false), "system");
    }
  }

  /** Creates a CA under an existing one (or a new root); audited. */
  public CaNode create(CaCreator.NewCa request, String actor) {
    try {
      CaNode node = creator.create(request, actor);
      audit.record(actor, "ca.create", node.id().value(), AuditLog.SUCCESS,
          node.policy().wireName() + " " + request.keyAlgorithm().wireName());
      return node;
    } catch (PkiException e) {
      audit.record(actor, "ca.create", request.id().value(), AuditLog.FAILURE, e.detail());
      throw e;
    }
  }

  /**
   * Imports an existing CA with its private key (a root, or a subordinate of an external CA with
   * that CA's chain); audited without key material or passphrase. The passphrase is wiped.
   */
  public CaNode importCa(CaImporter.ImportCa request, String actor) {
    try {
      CaNode node = importer.importCa(request);
      audit.record(actor, "ca.import", node.id().value(), AuditLog.SUCCESS,
          (node.isRoot() ? "root " : "subordinate ") + node.subject() + " "
              + node.key().algorithm().wireName());
      return node;
    } catch (PkiException e) {
      audit.record(actor, "ca.import", request.id().value(), AuditLog.FAILURE, e.detail());
      throw e;
    } finally {
      CaImporter.clear(request.passphrase());
    }
  }

  /** Attaches a cross-certificate an external CA issued for CA {@code id}; audited. */
  public List<LinkedCertificate> attachCrossCertificate(CaId id, String certificatePem,
      String chainPem, String actor) {
    try {
      List<LinkedCertificate> added = importer.attachCross(id, certificatePem, chainPem);
      audit.record(actor, "ca.cross.attach", id.value(), AuditLog.SUCCESS,
          "issued by " + added.get(0).holder().getIssuer());
      return added;
    } catch (PkiException e) {
      audit.record(actor, "ca.cross.attach", id.value(), AuditLog.FAILURE, e.detail());
      throw e;
    }
  }

  /**
   * Issues a cross-certificate: our CA {@code request.issuer()} certifies an external CA's subject
   * and key under our policy rules; audited.
   */
  public IssuedCertificate crossCertify(CaCreator.CrossCertify request, String actor) {
    try {
      IssuedCertificate cert = creator.crossCertify(request, actor);
      audit.record(actor, "ca.cross.issue", request.issuer() + "/" + cert.serialHex(),
          AuditLog.SUCCESS, cert.subject());
      return cert;
    } catch (PkiException e) {
      audit.record(actor, "ca.cross.issue", request.issuer().value(), AuditLog.FAILURE,
          e.detail());
      throw e;
    }
  }

  /** Cross-certificates external CAs issued for CA {@code id} (DER), oldest first. */
  public List<Bytes> crossCertificates(CaId id) {
    ca(id);
    return linked(id, LinkedCertificate.Kind.CROSS);
  }

  /** External intermediates between the cross-certificates of {@code id} and their roots. */
  public List<Bytes> crossIssuers(CaId id) {
    return linked(id, LinkedCertificate.Kind.CROSS_ISSUER);
  }

  private List<Bytes> linked(CaId id, LinkedCertificate.Kind kind) {
    return cas.linked(id).stream().filter(l -> l.kind() == kind)
        .sorted(java.util.Comparator.comparingInt(LinkedCertificate::position))
        .map(LinkedCertificate::der).toList();
  }

  /**
   * Issues an end-entity certificate from a PEM CSR. Under a high-assurance CA the request is
   * checked now and then waits for a second admin.
   */
  public IssuanceOutcome issue(String actor, CaId caId, String csrPem, String profile,
      Integer validityDays) {
    CaNode ca = activeCa(caId);
    IssuanceRequest req;
    try {
      req = IssuanceRequest.fromCsr(csrPem, Profile.fromWire(profile), validityDays);
      policy(ca).check(req, ca);
      req.profile().validity(validityDays);
    } catch (PkiException e) {
      audit.record(actor, "cert.issue", caId.value(), AuditLog.FAILURE, e.detail());
      throw e;
    }
    if (IssuancePolicy.needsApproval(ca.policy())) {
      Approval draft = new Approval(0, caId, req.profile().wireName(), req.csr(), validityDays,
          req.subject().toString(), actor, clock.instant(), Approval.Status.PENDING, null, null,
          null, null);
      long id = approvals.create(draft);
      audit.record(actor, "approval.request", "approval/" + id, AuditLog.SUCCESS,
          caId + " " + req.describe());
      return new IssuanceOutcome.Pending(approvals.find(id).orElseThrow());
    }
    return issued(issuer.issue(actor, ca, req));
  }

  /** A server-generated key, its certificate and the PKCS#12 that carries both. */
  public record GeneratedIssue(IssuanceOutcome.Issued issued, Bytes pkcs12) {}

  /**
   * Generates the subscriber's key on the server, issues for it and returns a PKCS#12 protected by
   * the caller's passphrase. The key is never stored. Refused under high assurance, where keys
   * must be generated by their holder.
   */
  public GeneratedIssue issueWithGeneratedKey(String actor, CaId caId, String profile,
      String subject, List<String> emails, List<String> dnsNames, KeyAlgorithm algorithm,
      char[] passphrase, Integer validityDays) {
    CaNode ca = activeCa(caId);
    if (ca.policy() == PolicyKind.HIGH_ASSURANCE) {
      audit.record(actor, "cert.issue", caId.value(), AuditLog.FAILURE, "server keygen refused");
      throw PkiException.policy("rule high-assurance/holder-generated-keys: CA %s does not"
          + " issue for server-generated keys", caId);
    }
    if (passphrase == null || passphrase.length < 8) {
      throw PkiException.malformed("the PKCS#12 passphrase must have at least 8 characters");
    }
    X500Name name;
    try {
      name = new X500Name(subject == null ? "" : subject);
    } catch (RuntimeException e) {
      throw PkiException.malformed("subject is not an RFC 4514 distinguished name");
    }
    ServerGeneratedKey key = ServerGeneratedKey.generate(algorithm);
    String csr = IssuedCertificate.pem("CERTIFICATE REQUEST",
        key.csr(name, emails == null ? List.of() : emails,
            dnsNames == null ? List.of() : dnsNames).toByteArray());
    IssuanceOutcome.Issued issued = (IssuanceOutcome.Issued) issue(actor, caId, csr, profile,
        validityDays);
    List<X509CertificateHolder> chain = new java.util.ArrayList<>();
    try {
      chain.add(new X509CertificateHolder(issued.certificate().der().toByteArray()));
      for (Bytes b : issued.chain()) {
        chain.add(new X509CertificateHolder(b.toByteArray()));
      }
    } catch (java.io.IOException e) {
      throw PkiException.internal(e, "cannot decode issued certificate");
    }
    Bytes p12 = key.pkcs12(issued.certificate().serialHex(), chain, passphrase);
    audit.record(actor, "cert.keygen", caId + "/" + issued.certificate().serialHex(),
        AuditLog.SUCCESS, algorithm.wireName());
    return new GeneratedIssue(issued, p12);
  }

  /** Approves and issues; the approver must not be the requester (two-person rule). */
  public IssuanceOutcome.Issued approve(String actor, long approvalId) {
    Approval a = pending(approvalId);
    if (a.requestedBy().equals(actor)) {
      audit.record(actor, "approval.approve", "approval/" + approvalId, AuditLog.FAILURE,
          "same token as requester");
      throw PkiException.policy("rule high-assurance/two-person: approval %d must be approved"
          + " by a different token than the requester %s", approvalId, a.requestedBy());
    }
    CaNode ca = activeCa(a.caId());
    String pem = IssuedCertificate.pem("CERTIFICATE REQUEST", a.csrDer().toByteArray());
    IssuanceRequest req = IssuanceRequest.fromCsr(pem, Profile.fromWire(a.profile()),
        a.validityDays());
    policy(ca).check(req, ca);
    IssuedCertificate cert = issuer.issue(a.requestedBy(), ca, req);
    if (!approvals.decide(approvalId, Approval.Status.APPROVED, actor, clock.instant(),
        cert.serial(), null)) {
      throw PkiException.conflict("approval %d was decided concurrently", approvalId);
    }
    audit.record(actor, "approval.approve", "approval/" + approvalId, AuditLog.SUCCESS,
        a.caId() + "/" + cert.serialHex());
    return issued(cert);
  }

  public Approval reject(String actor, long approvalId, String reason) {
    pending(approvalId);
    if (!approvals.decide(approvalId, Approval.Status.REJECTED, actor, clock.instant(), null,
        reason)) {
      throw PkiException.conflict("approval %d is no longer pending", approvalId);
    }
    audit.record(actor, "approval.reject", "approval/" + approvalId, AuditLog.SUCCESS, reason);
    return approvals.find(approvalId).orElseThrow();
  }

  public List<Approval> approvals(Approval.Status status, int limit) {
    return approvals.list(status, limit);
  }

  public Approval approval(long id) {
    return approvals.find(id).orElseThrow(() -> PkiException.notFound("no approval %d", id));
  }

  private Approval pending(long id) {
    Approval a = approval(id);
    if (a.status() != Approval.Status.PENDING) {
      throw PkiException.conflict("approval %d is already %s", id, a.status().code());
    }
    return a;
  }

  private IssuanceOutcome.Issued issued(IssuedCertificate cert) {
    return new IssuanceOutcome.Issued(cert, chain(cert.caId()));
  }

  private IssuancePolicy policy(CaNode ca) {
    return IssuancePolicy.forKind(ca.policy(), creator.organisation(), config.mailDomains());
  }

  private CaNode activeCa(CaId id) {
    CaNode ca = ca(id);
    if (ca.status() != CaStatus.ACTIVE) {
      throw PkiException.conflict("CA %s is %s", id, ca.status().wireName());
    }
    return ca;
  }

  public CaNode ca(CaId id) {
    return registry.find(id).orElseThrow(() -> PkiException.notFound("no CA '%s'", id));
  }

  public List<CaNode> cas() {
    return registry.all();
  }

  /**
   * DER certificates from {@code id} up to and including the root; under an imported subordinate
   * CA the chain continues with its external issuers up to their root.
   */
  public List<Bytes> chain(CaId id) {
    List<CaNode> nodes = registry.chain(id);
    List<Bytes> out = new java.util.ArrayList<>(nodes.stream().map(CaNode::certificate).toList());
    CaNode top = nodes.get(nodes.size() - 1);
    if (top.imported() && !top.isRoot()) {
      out.addAll(linked(top.id(), LinkedCertificate.Kind.ISSUER));
    }
    return out;
  }

  public IssuedCertificate certificate(String serialHex) {
    return certificates.findBySerial(IssuedCertificate.parseSerial(serialHex))
        .orElseThrow(() -> PkiException.notFound("no certificate with serial %s", serialHex));
  }

  public Page<IssuedCertificate> certificates(CertificateQuery query) {
    return certificates.list(query);
  }

  /** Certificates per address, for batch lookups: see {@link CertificateStore#listByEmails}. */
  public java.util.Map<String, List<IssuedCertificate>> certificatesByEmail(
      java.util.Collection<String> emails) {
    return certificates.listByEmails(emails);
  }

  public CaRegistry registry() {
    return registry;
  }

  public CertificateStore certificateStore() {
    return certificates;
  }

  public OutboxStore outbox() {
    return outbox;
  }

  public CaConfig config() {
    return config;
  }
}
