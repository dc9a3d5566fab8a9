package org.keyhaven.ca.hierarchy;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.CaConfig;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.keys.CaKeys;
import org.keyhaven.ca.keys.ImportedKey;
import org.keyhaven.ca.policy.HierarchyPolicy;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.CaStore;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.Hex;
import org.keyhaven.common.PkiException;

/**
 * Brings existing CAs in (a root, or a subordinate of an external CA, with its key) and attaches
 * cross-certificates external CAs issued for our CAs. Steps in docs/CA.md, "Importing CAs and
 * cross-certification".
 */
public final class CaImporter {
  private static final String ANY_POLICY = "2.5.29.32.0";

  private final CaConfig config;
  private final CaKeys keys;
  private final StoredCaRegistry registry;
  private final CaStore store;
  private final Clock clock;

  public CaImporter(CaConfig config, CaKeys keys, StoredCaRegistry registry, CaStore store,
      Clock clock) {
    this.config = config;
    this.keys = keys;
    this.registry = registry;
    this.store = store;
    this.clock = clock;
  }

  /**
   * What to import. The key comes as {@code keyPem} (PKCS#8, encrypted PKCS#8 or traditional PEM)
   * or as {@code pkcs12}; {@code passphrase} opens either. {@code certificatePem} may be left out
   * when the PKCS#12 carries the certificate. {@code chainPem} holds the external issuers of a
   * subordinate CA up to its root, in any order.
   *
   * @param policy null for none (a root) or for no policy of its own
   * @param policyOid null for the certificate's own policy OID, else the policy's default
   */
  public record ImportCa(CaId id, String certificatePem, String keyPem, Bytes pkcs12,
      char[] passphrase, String chainPem, PolicyKind policy, String policyOid) {
    @Override
    public String toString() {
      return "ImportCa[" + id + ", key and passphrase redacted]";
    }
  }

  /** Validates everything, then stores CA, key (encrypted) and external chain in one go. */
  public CaNode importCa(ImportCa req) {
    if (registry.find(req.id()).isPresent()) {
      throw PkiException.conflict("CA '%s' already exists", req.id());
    }
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    ImportedKey key = key(req);
    List<X509CertificateHolder> fromP12 = key.pkcs12Certificates();
    X509CertificateHolder cert = req.certificatePem() != null && !req.certificatePem().isBlank()
        ? ExternalCertificates.parseOne(req.certificatePem(), "certificate")
        : fromP12.stream().findFirst().orElseThrow(
            () -> PkiException.malformed("certificate is required"));
    List<X509CertificateHolder> pool = new ArrayList<>(
        ExternalCertificates.parse(req.chainPem(), "chain"));
    fromP12.stream().filter(c -> !c.equals(cert)).forEach(pool::add);

    ExternalCertificates.requireCa(cert, "certificate", now);
    if (!key.matches(cert.getSubjectPublicKeyInfo())) {
      throw PkiException.malformed("key does not match the certificate's public key");
    }
    List<X509CertificateHolder> path = List.of();
    boolean root = ExternalCertificates.selfIssued(cert);
    if (root) {
      if (!ExternalCertificates.signedBy(cert, cert.getSubjectPublicKeyInfo())) {
        throw PkiException.malformed("self-signed certificate %s: signature does not verify",
            ExternalCertificates.dn(cert.getSubject()));
      }
      if (req.chainPem() != null && !req.chainPem().isBlank()) {
        throw PkiException.malformed("a self-signed root takes no chain");
      }
    } else {
      path = ExternalCertificates.pathToRoot(cert, pool, "certificate", now);
    }
    PolicyKind kind = req.policy() == null ? PolicyKind.NONE : req.policy();
    if (root && kind != PolicyKind.NONE) {
      throw PkiException.malformed("a root has no policy of its own; give the policy to the CAs"
          + " created under it");
    }
    if (kind == PolicyKind.HIGH_ASSURANCE) {
      HierarchyPolicy.checkHighAssuranceKey(key.algorithm());
    }
    noClash(cert);
    CaNode node = new CaNode(req.id(), Optional.empty(), kind, policyOid(req, cert, kind),
        ExternalCertificates.effectivePathLength(cert, path), CaCreator.encoded(cert),
        CaCreator.keyHash(cert.getSubjectPublicKeyInfo()), key.persist(), CaStatus.ACTIVE, now,
        true);
    List<LinkedCertificate> linked = new ArrayList<>();
    for (int i = 0; i < path.size(); i++) {
      linked.add(new LinkedCertificate(req.id(), LinkedCertificate.Kind.ISSUER, i,
          CaCreator.encoded(path.get(i))));
    }
    PublicationEvent ev = new PublicationEvent(0, PublicationEvent.Kind.CA_CERTIFICATE,
        req.id().value(), cert.getSerialNumber().toString(16), cert.getSubject().toString(),
        List.of(), node.certificate(), now);
    store.insertImported(node, linked, ev);
    registry.remember(req.id(), key.signer(cert));
    return node;
  }

  private ImportedKey key(ImportCa req) {
    boolean pem = req.keyPem() != null && !req.keyPem().isBlank();
    boolean p12 = req.pkcs12() != null && req.pkcs12().size() > 0;
    if (pem && p12) {
      throw PkiException.malformed("send the key either as key or as pkcs12, not both");
    }
    if (!pem && !p12) {
      throw PkiException.malformed("key (PEM) or pkcs12 is required: a CA is imported with its"
          + " private key");
    }
    return pem ? keys.importPem(req.keyPem(), req.passphrase())
        : keys.importPkcs12(req.pkcs12(), req.passphrase());
  }

  /** One CA per subject and per key: OCSP and CRL code find issuers by either. */
  private void noClash(X509CertificateHolder cert) {
    registry.refresh();
    registry.findBySubject(cert.getSubject()).ifPresent(n -> {
      throw PkiException.conflict("CA '%s' already has the subject %s", n.id(),
          ExternalCertificates.dn(cert.getSubject()));
    });
    registry.findByKeyHash(CaCreator.keyHash(cert.getSubjectPublicKeyInfo())).ifPresent(n -> {
      throw PkiException.conflict("CA '%s' already has this public key", n.id());
    });
  }

  private String policyOid(ImportCa req, X509CertificateHolder cert, PolicyKind kind) {
    if (req.policyOid() != null && !req.policyOid().isBlank()) {
      return req.policyOid();
    }
    CertificatePolicies cp;
    try {
      cp = cert.getExtensions() == null ? null
          : CertificatePolicies.fromExtensions(cert.getExtensions());
    } catch (RuntimeException e) {
      throw PkiException.malformed("certificate has a malformed certificatePolicies extension");
    }
    if (cp != null) {
      for (PolicyInformation pi : cp.getPolicyInformation()) {
        String oid = pi.getPolicyIdentifier().getId();
        if (!oid.equals(ANY_POLICY)) {
          return oid;
        }
      }
    }
    return kind == PolicyKind.NONE ? null : config.defaultPolicyOid(kind);
  }

  /**
   * Attaches a cross-certificate an external CA issued for CA {@code id}: same subject and key as
   * our CA certificate, a CA certificate, and its signature verified along {@code chainPem} up to
   * the external root. Stored with the external intermediates (not the root, which relying
   * parties already trust).
   */
  public List<LinkedCertificate> attachCross(CaId id, String certificatePem, String chainPem) {
    CaNode ca = registry.find(id).orElseThrow(() -> PkiException.notFound("no CA '%s'", id));
    Instant now = clock.instant();
    X509CertificateHolder cross = ExternalCertificates.parseOne(certificatePem, "certificate");
    X509CertificateHolder ours = ca.certificateHolder();
    if (!cross.getSubject().equals(ours.getSubject())) {
      throw PkiException.malformed("cross-certificate subject %s is not the subject of CA %s"
          + " (%s)", ExternalCertificates.dn(cross.getSubject()), id,
          ExternalCertificates.dn(ours.getSubject()));
    }
    if (!cross.getSubjectPublicKeyInfo().equals(ours.getSubjectPublicKeyInfo())) {
      throw PkiException.malformed("cross-certificate is for another public key than CA %s", id);
    }
    if (ExternalCertificates.selfIssued(cross)) {
      throw PkiException.malformed("certificate is self-issued, not a cross-certificate from"
          + " another CA");
    }
    ExternalCertificates.requireCa(cross, "cross-certificate", now);
    List<X509CertificateHolder> path = ExternalCertificates.pathToRoot(cross,
        ExternalCertificates.parse(chainPem, "chain"), "the cross-certificate", now);
    List<LinkedCertificate> existing = store.linked(id);
    Set<String> have = new HashSet<>();
    int crossCount = 0;
    int issuerCount = 0;
    for (LinkedCertificate l : existing) {
      have.add(l.kind().code() + fingerprint(l.der()));
      if (l.kind() == LinkedCertificate.Kind.CROSS) {
        crossCount++;
      } else if (l.kind() == LinkedCertificate.Kind.CROSS_ISSUER) {
        issuerCount++;
      }
    }
    Bytes crossDer = CaCreator.encoded(cross);
    if (have.contains(LinkedCertificate.Kind.CROSS.code() + fingerprint(crossDer))) {
      throw PkiException.conflict("this cross-certificate is already attached to CA %s", id);
    }
    List<LinkedCertificate> add = new ArrayList<>();
    add.add(new LinkedCertificate(id, LinkedCertificate.Kind.CROSS, crossCount, crossDer));
    for (X509CertificateHolder p : path) {
      Bytes der = CaCreator.encoded(p);
      String k = LinkedCertificate.Kind.CROSS_ISSUER.code() + fingerprint(der);
      if (!ExternalCertificates.selfIssued(p) && have.add(k)) {
        add.add(new LinkedCertificate(id, LinkedCertificate.Kind.CROSS_ISSUER, issuerCount++,
            der));
      }
    }
    store.link(add);
    return add;
  }

  static String fingerprint(Bytes der) {
    try {
      return Hex.encode(java.security.MessageDigest.getInstance("SHA-256")
          .digest(der.toByteArray()));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw PkiException.internal(e, "SHA-256 unavailable");
    }
  }

  /** Wipes a passphrase after use. */
  public static void clear(char[] passphrase) {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }
}
