package org.keyhaven.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.NameConstraints;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.keys.MasterSecret;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.CertificateQuery;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

class CertificateAuthorityTest {
  @TempDir static Path dir;
  static CaFixture f;

  @BeforeAll
  static void setUp() {
    f = new CaFixture(dir);
    f.ca.bootstrap();
  }

  static X509Certificate x509(byte[] der) throws Exception {
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(der));
  }

  @Test
  void bootstrap_createsDefaultHierarchyOnce() {
    f.ca.bootstrap();
    assertThat(f.ca.cas()).extracting(n -> n.id().value()).containsExactly("root", "pca-high",
        "pca-standard", "pca-persona", "ca-high", "ca-mail", "ca-persona");
    assertThat(f.ca.ca(CaId.of("ca-high")).policy()).isEqualTo(PolicyKind.HIGH_ASSURANCE);
    assertThat(f.ca.chain(CaId.of("ca-mail"))).hasSize(3);
  }

  @Test
  void bootstrap_writesMasterKeyWithMode0600() throws Exception {
    Path key = dir.resolve(MasterSecret.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
        .isEqualTo("rw-------");
  }

  @Test
  void caCertificates_carryPolicyAndNameConstraints() throws Exception {
    CaNode pca = f.ca.ca(CaId.of("pca-standard"));
    X509CertificateHolder h = pca.certificateHolder();
    assertThat(h.getExtension(Extension.policyConstraints).isCritical()).isTrue();
    assertThat(h.getExtension(Extension.inhibitAnyPolicy).isCritical()).isTrue();
    // The issuing CA below it: requireExplicitPolicy is inherited from the PCA, not repeated.
    X509CertificateHolder issuing = f.ca.ca(CaId.of("ca-mail")).certificateHolder();
    assertThat(issuing.getExtension(Extension.policyConstraints)).isNull();
    assertThat(issuing.getExtension(Extension.inhibitAnyPolicy).isCritical()).isTrue();
    NameConstraints nc = NameConstraints.getInstance(
        h.getExtension(Extension.nameConstraints).getParsedValue());
    assertThat(nc.getPermittedSubtrees()).hasSize(5);
    assertThat(CertificatePolicies.getInstance(h.getExtension(Extension.certificatePolicies)
        .getParsedValue()).getPolicyInformation()[0].getPolicyIdentifier().getId())
        .isEqualTo(CaConfig.DEFAULT_POLICY_ARC + ".2");
    assertThat(x509(pca.certificate().toByteArray()).getBasicConstraints()).isEqualTo(1);
    assertThat(f.ca.ca(CaId.of("pca-persona")).certificateHolder()
        .getExtension(Extension.nameConstraints)).isNull();
  }

  @Test
  void issue_smimeSign_buildsProfileCertificate() throws Exception {
    String csr = Csrs.csr(Csrs.ec("secp256r1")).email("alice@example.org").pem();
    IssuanceOutcome out = f.ca.issue("ra-1", CaId.of("ca-mail"), csr, "smime-sign", null);
    assertThat(out).isInstanceOf(IssuanceOutcome.Issued.class);
    IssuanceOutcome.Issued issued = (IssuanceOutcome.Issued) out;
    X509Certificate c = x509(issued.certificate().der().toByteArray());
    assertThat(c.getSerialNumber().signum()).isPositive();
    assertThat(c.getSerialNumber().bitLength()).isGreaterThan(64);
    assertThat(c.getKeyUsage()[0]).isTrue(); // digitalSignature
    assertThat(c.getKeyUsage()[1]).isTrue(); // nonRepudiation
    assertThat(c.getKeyUsage()[2]).isFalse();
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.4");
    assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(1, "alice@example.org"));
    assertThat(c.getNotAfter().getTime() - c.getNotBefore().getTime())
        .isEqualTo(365L * 86400_000 - 1000);
    c.verify(x509(issued.chain().get(0).toByteArray()).getPublicKey());
    X509CertificateHolder h = new X509CertificateHolder(issued.certificate().der().toByteArray());
    CRLDistPoint dp = CRLDistPoint.getInstance(
        h.getExtension(Extension.cRLDistributionPoints).getParsedValue());
    assertThat(dp.getDistributionPoints()[0].getDistributionPoint().toString())
        .contains("http://pki.example.org:8080/crl/ca-mail.crl")
        .contains("ldap://pki.example.org:3890/cn=Example%20Org%20Mail%20Issuing%20CA,ou=cas,"
            + "dc=example,dc=org?certificateRevocationList;binary");
    CRLDistPoint freshest = CRLDistPoint.getInstance(
        h.getExtension(Extension.freshestCRL).getParsedValue());
    assertThat(freshest.getDistributionPoints()[0].getDistributionPoint().toString())
        .contains("http://pki.example.org:8080/crl/ca-mail-delta.crl");
    assertThat(issued.chain()).hasSize(3);
  }

  @Test
  void issue_storesCertificateOutboxEventAndAudit() {
    String csr = Csrs.csr(Csrs.rsa(2048)).email("bob@example.org").pem();
    var issued = (IssuanceOutcome.Issued) f.ca.issue("ra-1", CaId.of("ca-mail"), csr,
        "smime-encrypt", 30);
    IssuedCertificate stored = f.ca.certificate(issued.certificate().serialHex());
    assertThat(stored.status()).isEqualTo(CertificateStatus.GOOD);
    assertThat(stored.emails()).containsExactly("bob@example.org");
    assertThat(f.ca.certificates(new CertificateQuery("BOB@example.org", null, null, null, 0,
        10)).items()).extracting(IssuedCertificate::serial).containsExactly(stored.serial());
    assertThat(f.ca.outbox().pending(1000)).anyMatch(e ->
        e.kind() == PublicationEvent.Kind.END_ENTITY_CERTIFICATE
            && stored.serialHex().equals(e.serialHex()));
    assertThat(f.audit.entries).contains(
        "ra-1 cert.issue ca-mail/" + stored.serialHex() + " intent",
        "ra-1 cert.issue ca-mail/" + stored.serialHex() + " success");
  }

  @Test
  void issue_tlsServer_putsDnsNamesAndServerAuth() throws Exception {
    String csr = Csrs.csr(Csrs.ec("secp256r1")).subject("O=Example Org,CN=mx1.example.org")
        .dns("mx1.example.org").pem();
    var issued = (IssuanceOutcome.Issued) f.ca.issue("ra-1", CaId.of("ca-mail"), csr,
        "tls-server", null);
    X509Certificate c = x509(issued.certificate().der().toByteArray());
    assertThat(c.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(c.getSubjectAlternativeNames()).containsExactly(List.of(2, "mx1.example.org"));
  }

  @Test
  void issue_internationalisedMailbox_usesSmtpUtf8MailboxOrALabel() throws Exception {
    // ASCII local part, IDN domain: rfc822Name with the A-label domain (RFC 8398 §3).
    String csr = Csrs.csr(Csrs.ec("secp256r1")).subject("CN=Pseudo")
        .email("nym@xn--bcher-kva.example").pem();
    var issued = (IssuanceOutcome.Issued) f.ca.issue("ra-1", CaId.of("ca-persona"), csr,
        "smime-sign", null);
    assertThat(x509(issued.certificate().der().toByteArray()).getSubjectAlternativeNames())
        .containsExactly(List.of(1, "nym@xn--bcher-kva.example"));
  }

  @Test
  void issue_validityIsClampedToIssuerNotAfter() throws Exception {
    var node = f.ca.create(new org.keyhaven.ca.hierarchy.CaCreator.NewCa(CaId.of("short-lived"),
        java.util.Optional.of(CaId.of("pca-standard")), PolicyKind.STANDARD, null,
        org.keyhaven.ca.keys.KeyAlgorithm.EC_P256, "Short Lived CA", 0, 10, false), "admin");
    String csr = Csrs.csr(Csrs.ec("secp256r1")).email("carol@example.org").pem();
    var issued = (IssuanceOutcome.Issued) f.ca.issue("ra-1", node.id(), csr, "smime-sign", 365);
    assertThat(issued.certificate().notAfter())
        .isEqualTo(node.certificateHolder().getNotAfter().toInstant());
  }

  @Test
  void certificate_unknownSerial_isNotFound() {
    assertThatThrownBy(() -> f.ca.certificate("abcdef"))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    assertThatThrownBy(() -> f.ca.certificate("ab:cd"))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED));
  }

  @Test
  void issue_unknownCa_isNotFound() {
    assertThatThrownBy(() -> f.ca.issue("ra", CaId.of("nope"), "x", "smime-sign", null))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
  }

  @Test
  void restart_reopensEncryptedKeysAndIssues() {
    CertificateAuthority again = org.keyhaven.ca.store.jdbc.JdbcCertificateAuthority.open(f.config, f.dataSource,
        java.time.Clock.systemUTC(), f.audit);
    again.bootstrap();
    String csr = Csrs.csr(Csrs.ec("secp384r1")).email("dave@example.org").pem();
    var issued = (IssuanceOutcome.Issued) again.issue("ra", CaId.of("ca-mail"), csr,
        "smime-sign", null);
    assertThat(issued.certificate().serial()).isNotEqualTo(BigInteger.ZERO);
    assertThat(again.cas()).hasSize(f.ca.cas().size());
  }
}
