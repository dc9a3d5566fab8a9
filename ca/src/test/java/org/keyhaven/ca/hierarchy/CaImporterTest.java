package org.keyhaven.ca.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.CaFixture;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.Csrs;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.jdbc.JdbcCaStore;
import org.keyhaven.ca.store.jdbc.JdbcCertificateAuthority;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

/** CA import in the domain: persistence across a restart, rules, the transactional store. */
class CaImporterTest {
  @TempDir static Path dir;
  static CaFixture f;

  @BeforeAll
  static void setUp() {
    f = new CaFixture(dir);
    f.ca.bootstrap();
  }

  static X509CertificateHolder cert(X500Name subject, X500Name issuer, KeyPair subjectKey,
      KeyPair issuerKey, Integer pathLen, String sigAlg) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    var b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()),
        Date.from(now.minusSeconds(60)), Date.from(now.plus(3650, ChronoUnit.DAYS)), subject,
        subjectKey.getPublic());
    b.addExtension(Extension.basicConstraints, true,
        pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen));
    b.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    return b.build(new JcaContentSignerBuilder(sigAlg).build(issuerKey.getPrivate()));
  }

  static String pem(Object o) throws Exception {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }

  static CaImporter.ImportCa req(String id, X509CertificateHolder cert, KeyPair key,
      String chain, PolicyKind policy) throws Exception {
    // PKCS#8: a traditional "EC PRIVATE KEY" written from a JDK key would lack its curve.
    return new CaImporter.ImportCa(CaId.of(id), pem(cert),
        pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key.getPrivate(), null)), null,
        null,
        chain, policy, null);
  }

  @Test
  void importedRoot_keySurvivesRestart_andCertifiesNewCas() throws Exception {
    KeyPair k = Csrs.ec("secp384r1");
    X500Name name = new X500Name("O=Restart Org,CN=Restart Root");
    f.ca.importCa(req("restart-root", cert(name, name, k, k, null, "SHA384withECDSA"), k, null,
        null), "tester");
    assertThat(f.audit.entries).contains("tester ca.import restart-root success");
    // A second CA over the same database and master secret, as after a restart.
    CertificateAuthority again = JdbcCertificateAuthority.open(f.config, f.dataSource,
        Clock.systemUTC(), f.audit);
    CaNode root = again.ca(CaId.of("restart-root"));
    assertThat(root.imported()).isTrue();
    assertThat(root.isRoot()).isTrue();
    CaNode child = again.create(new CaCreator.NewCa(CaId.of("restart-pca"),
        Optional.of(CaId.of("restart-root")), PolicyKind.PERSONA, null,
        org.keyhaven.ca.keys.KeyAlgorithm.EC_P256, "Restart PCA", 0, null, false), "tester");
    assertThat(child.certificateHolder().isSignatureValid(
        new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
            .build(k.getPublic()))).isTrue();
    assertThat(again.chain(child.id())).hasSize(2);
  }

  @Test
  void importedSubordinate_isNotARoot_andItsPathLengthIsLimitedByItsIssuers() throws Exception {
    KeyPair rk = Csrs.ec("secp384r1");
    KeyPair sk = Csrs.ec("secp384r1");
    X500Name rn = new X500Name("O=Ext,CN=Ext Root PL1");
    X500Name sn = new X500Name("O=Ext,CN=Ext Sub");
    X509CertificateHolder root = cert(rn, rn, rk, rk, 1, "SHA384withECDSA");
    X509CertificateHolder sub = cert(sn, rn, sk, rk, null, "SHA384withECDSA");
    CaNode n = f.ca.importCa(req("ext-sub", sub, sk, pem(root), PolicyKind.STANDARD), "t");
    assertThat(n.isRoot()).isFalse();
    assertThat(n.pathLength()).isZero(); // root pathlen 1, the sub uses it up
    assertThat(f.ca.chain(n.id())).containsExactly(n.certificate(),
        Bytes.copyOf(root.getEncoded()));
    assertThat(n.policyOid()).isEqualTo(f.config.defaultPolicyOid(PolicyKind.STANDARD));
    // A root that allows no CA below it: the sub cannot be imported.
    X500Name r0 = new X500Name("O=Ext,CN=Ext Root PL0");
    X509CertificateHolder root0 = cert(r0, r0, rk, rk, 0, "SHA384withECDSA");
    X509CertificateHolder sub0 = cert(new X500Name("O=Ext,CN=Ext Sub 0"), r0, sk, rk, null,
        "SHA384withECDSA");
    assertThatThrownBy(() -> f.ca.importCa(req("ext-sub0", sub0, sk, pem(root0), null), "t"))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED);
          assertThat(e.detail()).contains("pathLenConstraint 0");
        });
  }

  @Test
  void casCreatedUnderAnImportedCa_keepItsPolicyOid() throws Exception {
    KeyPair rk = Csrs.ec("secp384r1");
    KeyPair sk = Csrs.ec("secp384r1");
    X500Name rn = new X500Name("O=Oid,CN=Oid Root");
    X500Name sn = new X500Name("O=Oid,CN=Oid Sub");
    X509CertificateHolder root = cert(rn, rn, rk, rk, null, "SHA384withECDSA");
    X509CertificateHolder sub = cert(sn, rn, sk, rk, null, "SHA384withECDSA");
    CaImporter.ImportCa r = req("oid-sub", sub, sk, pem(root), PolicyKind.STANDARD);
    f.ca.importCa(new CaImporter.ImportCa(r.id(), r.certificatePem(), r.keyPem(), null, null,
        r.chainPem(), PolicyKind.STANDARD, "1.3.6.1.4.1.55555.1"), "t");
    CaNode child = f.ca.create(new CaCreator.NewCa(CaId.of("oid-child"),
        Optional.of(CaId.of("oid-sub")), PolicyKind.STANDARD, null,
        org.keyhaven.ca.keys.KeyAlgorithm.EC_P256, "Oid Child", 0, null, false), "t");
    assertThat(child.policyOid()).isEqualTo("1.3.6.1.4.1.55555.1");
    assertThat(f.ca.ca(CaId.of("ca-mail")).policyOid())
        .isEqualTo(f.config.defaultPolicyOid(PolicyKind.STANDARD));
  }

  @Test
  void highAssuranceImport_needsAStrongKey_andUnsupportedCurvesAreRefused() throws Exception {
    KeyPair rk = Csrs.ec("secp384r1");
    KeyPair weak = Csrs.ec("secp256r1");
    X500Name rn = new X500Name("O=HA,CN=HA Root");
    X500Name sn = new X500Name("O=HA,CN=HA Sub");
    X509CertificateHolder root = cert(rn, rn, rk, rk, null, "SHA384withECDSA");
    X509CertificateHolder sub = cert(sn, rn, weak, rk, null, "SHA384withECDSA");
    assertThatThrownBy(() -> f.ca.importCa(req("ha-sub", sub, weak, pem(root),
        PolicyKind.HIGH_ASSURANCE), "t"))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.POLICY_VIOLATION);
          assertThat(e.detail()).startsWith("rule high-assurance/key-strength:");
        });
    KeyPair p521 = Csrs.ec("secp521r1");
    X500Name bn = new X500Name("O=Big,CN=P521 Root");
    assertThatThrownBy(() -> f.ca.importCa(req("p521", cert(bn, bn, p521, p521, null,
        "SHA512withECDSA"), p521, null, null), "t"))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED));
    assertThat(f.ca.registry().find(CaId.of("ha-sub"))).isEmpty();
  }

  @Test
  void insertImported_isOneTransaction() throws Exception {
    KeyPair k = Csrs.ec("secp384r1");
    X500Name name = new X500Name("O=Tx,CN=Tx Sub");
    X509CertificateHolder c = cert(name, new X500Name("O=Tx,CN=Tx Root"), k, k, null,
        "SHA384withECDSA");
    Bytes der = Bytes.copyOf(c.getEncoded());
    CaNode node = new CaNode(CaId.of("tx-sub"), Optional.empty(), PolicyKind.NONE, null, -1,
        der, CaCreator.keyHash(c.getSubjectPublicKeyInfo()),
        f.ca.ca(CaId.of("root")).key(), CaStatus.ACTIVE, Instant.now(), true);
    LinkedCertificate link = new LinkedCertificate(node.id(), LinkedCertificate.Kind.ISSUER, 0,
        der);
    long outboxBefore = count("SELECT COUNT(*) FROM publication_outbox");
    JdbcCaStore store = new JdbcCaStore(f.dataSource);
    // The same link twice violates the unique constraint after the CA row was written.
    assertThatThrownBy(() -> store.insertImported(node, List.of(link, link),
        new PublicationEvent(0, PublicationEvent.Kind.CA_CERTIFICATE, "tx-sub", "1", "x",
            List.of(), der, Instant.now())))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    assertThat(store.find(CaId.of("tx-sub"))).isEmpty();
    assertThat(store.linked(CaId.of("tx-sub"))).isEmpty();
    assertThat(count("SELECT COUNT(*) FROM publication_outbox")).isEqualTo(outboxBefore);
  }

  static long count(String sql) throws Exception {
    try (Connection c = f.dataSource.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
