package org.keyhaven.ca.crl;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509CRLEntry;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CRLHolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.revocation.RevocationFixture;
import org.keyhaven.ca.revocation.RevocationReason;

class CrlServiceTest {
  @TempDir static Path dir;
  static RevocationFixture f;
  static final CaId MAIL = CaId.of("ca-mail");

  @BeforeAll
  static void setUp() {
    f = new RevocationFixture(dir);
  }

  static X509CRL x509(StoredCrl crl) throws Exception {
    return (X509CRL) CertificateFactory.getInstance("X.509")
        .generateCRL(new ByteArrayInputStream(crl.der().toByteArray()));
  }

  @Test
  void numbers_neverRepeat_evenAfterTheDatabaseLostItsNewestCrls() throws Exception {
    // A database restored from a backup (or a crash that lost the last commit) has its CRL
    // sequence behind numbers relying parties have already seen; those must not come again.
    long t0 = System.currentTimeMillis();
    var c = f.issue("crl-rollback@example.org").cert();
    f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.SUPERSEDED, Optional.empty());
    StoredCrl seen = f.rev.crls.current(MAIL, CrlKind.FULL);
    assertThat(seen.number()).isGreaterThanOrEqualTo(BigInteger.valueOf(t0));
    try (var conn = f.ca.dataSource.getConnection(); var st = conn.createStatement()) {
      st.executeUpdate("DELETE FROM crl WHERE ca_id = 'ca-mail' AND crl_number >= "
          + seen.number());
      st.executeUpdate("UPDATE crl_sequence SET last_number = " + seen.number().subtract(
          BigInteger.ONE) + " WHERE ca_id = 'ca-mail'");
    }
    Thread.sleep(5);
    try (var restarted = new org.keyhaven.ca.revocation.store.jdbc.RevocationWiring(f.ca.ca,
        f.ca.dataSource, org.keyhaven.ca.revocation.store.jdbc.RevocationWiring.Settings.defaults(),
        f.ca.audit, java.time.Clock.systemUTC())) {
      StoredCrl again = restarted.crls.current(MAIL, CrlKind.FULL);
      assertThat(again.entries()).isEqualTo(seen.entries());
      assertThat(again.number()).isGreaterThan(seen.number());
    }
  }

  @Test
  void full_listsRevocationAtOnce_withReasonInvalidityDateAndExtensions() throws Exception {
    var c = f.issue("crl1@example.org").cert();
    Instant invalid = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    StoredCrl before = f.rev.crls.current(MAIL, CrlKind.FULL);
    f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.KEY_COMPROMISE, Optional.of(invalid));
    StoredCrl after = f.rev.crls.current(MAIL, CrlKind.FULL);
    assertThat(after.number()).isGreaterThan(before.number());

    X509CRL crl = x509(after);
    crl.verify(CertificateFactory.getInstance("X.509").generateCertificate(
        new ByteArrayInputStream(f.ca.ca.ca(MAIL).certificate().toByteArray())).getPublicKey());
    X509CRLEntry e = crl.getRevokedCertificate(c.serial());
    assertThat(e).isNotNull();
    assertThat(e.getRevocationReason()).isEqualTo(java.security.cert.CRLReason.KEY_COMPROMISE);
    X509CRLHolder h = new X509CRLHolder(after.der().toByteArray());
    assertThat(h.getRevokedCertificate(c.serial()).getExtensions()
        .getExtension(Extension.invalidityDate)).isNotNull();
    assertThat(h.getExtension(Extension.authorityKeyIdentifier)).isNotNull();
    assertThat(h.getExtension(Extension.issuingDistributionPoint).isCritical()).isTrue();
    assertThat(IssuingDistributionPoint.getInstance(h.getExtension(
        Extension.issuingDistributionPoint).getParsedValue()).getDistributionPoint().toString())
        .contains("/crl/ca-mail.crl");
    assertThat(h.getExtension(Extension.freshestCRL)).isNotNull();
    assertThat(ASN1Integer.getInstance(h.getExtension(Extension.cRLNumber).getParsedValue())
        .getValue()).isEqualTo(after.number());
  }

  @Test
  void delta_carriesChangesSinceBase_andRemoveFromCrlAfterRelease() throws Exception {
    StoredCrl first = f.rev.crls.current(MAIL, CrlKind.DELTA);
    var held = f.issue("crl2@example.org").cert();
    f.rev.revocations.revoke(RevocationFixture.ADMIN, held.serialHex(),
        RevocationReason.CERTIFICATE_HOLD, Optional.empty());
    StoredCrl delta = f.rev.crls.current(MAIL, CrlKind.DELTA);
    assertThat(delta.number()).isGreaterThan(first.number());
    X509CRLHolder d = new X509CRLHolder(delta.der().toByteArray());
    assertThat(d.getExtension(Extension.deltaCRLIndicator).isCritical()).isTrue();
    BigInteger base = ASN1Integer.getInstance(
        d.getExtension(Extension.deltaCRLIndicator).getParsedValue()).getValue();
    assertThat(base).isEqualTo(first.baseNumber());
    assertThat(reason(d, held.serial())).isEqualTo(CRLReason.certificateHold);

    f.rev.revocations.release(RevocationFixture.RA, held.serialHex());
    X509CRLHolder d2 = new X509CRLHolder(f.rev.crls.current(MAIL, CrlKind.DELTA).der()
        .toByteArray());
    assertThat(reason(d2, held.serial())).isEqualTo(CRLReason.removeFromCRL);
    assertThat(x509(f.rev.crls.current(MAIL, CrlKind.FULL))
        .getRevokedCertificate(held.serial())).isNull();
  }

  static int reason(X509CRLHolder crl, BigInteger serial) {
    var entry = crl.getRevokedCertificate(serial);
    assertThat(entry).as("entry for %s", serial).isNotNull();
    return CRLReason.getInstance(entry.getExtensions().getExtension(Extension.reasonCode)
        .getParsedValue()).getValue().intValue();
  }

  @Test
  void numbers_strictlyIncreaseAcrossServiceInstances() {
    CaId root = CaId.of("root");
    StoredCrl a = f.rev.crls.current(root, CrlKind.FULL);
    // A second process whose clock is 13 h ahead finds the CRL past half its life.
    var later = java.time.Clock.offset(java.time.Clock.systemUTC(), java.time.Duration.ofHours(13));
    var other = new org.keyhaven.ca.revocation.store.jdbc.RevocationWiring(f.ca.ca,
        f.ca.dataSource, org.keyhaven.ca.revocation.store.jdbc.RevocationWiring.Settings
            .defaults(), f.ca.audit, later);
    StoredCrl b = other.crls.current(root, CrlKind.FULL);
    assertThat(b.number()).isGreaterThan(a.number());
    // The first process now serves the newer CRL, never its own older number.
    assertThat(f.rev.crls.current(root, CrlKind.FULL).number()).isEqualTo(b.number());
    other.close();
  }
}
