package org.keyhaven.ca.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.store.CertificateQuery;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

class RevocationServiceTest {
  @TempDir static Path dir;
  static RevocationFixture f;

  @BeforeAll
  static void setUp() {
    f = new RevocationFixture(dir);
  }

  static ErrorKind kindOf(Runnable r) {
    try {
      r.run();
    } catch (PkiException e) {
      return e.kind();
    }
    throw new AssertionError("no PkiException");
  }

  static byte[] cms(String statement, IssuedCertificate cert, KeyPair key) throws Exception {
    X509CertificateHolder holder = new X509CertificateHolder(cert.der().toByteArray());
    CMSSignedDataGenerator g = new CMSSignedDataGenerator();
    g.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
        new JcaDigestCalculatorProviderBuilder().build())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()), holder));
    g.addCertificates(new JcaCertStore(List.of(holder)));
    return g.generate(new CMSProcessableByteArray(statement.getBytes(StandardCharsets.UTF_8)),
        true).getEncoded();
  }

  static String statement(IssuedCertificate c, String nonce, String reason, Instant time) {
    return "keyhaven-revocation-request: 1\nserial: " + c.serialHex() + "\n"
        + (reason == null ? "" : "reason: " + reason + "\n") + "nonce: " + nonce + "\ntime: "
        + time + "\n";
  }

  @Test
  void revoke_twiceIsConflict_releaseOfGoodIsConflict_futureInvalidityIsMalformed() {
    var c = f.issue("svc1@example.org").cert();
    assertThat(kindOf(() -> f.rev.revocations.release(RevocationFixture.RA, c.serialHex())))
        .isEqualTo(ErrorKind.CONFLICT);
    assertThat(kindOf(() -> f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.SUPERSEDED, Optional.of(Instant.now().plus(1, ChronoUnit.DAYS)))))
        .isEqualTo(ErrorKind.MALFORMED);
    var revoked = f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.SUPERSEDED, Optional.empty());
    assertThat(revoked.status().state()).isEqualTo(CertificateStatus.State.REVOKED);
    assertThat(revoked.status().reasonCode()).isEqualTo(4);
    assertThat(kindOf(() -> f.rev.revocations.revoke(RevocationFixture.ADMIN, c.serialHex(),
        RevocationReason.KEY_COMPROMISE, Optional.empty()))).isEqualTo(ErrorKind.CONFLICT);
    assertThat(kindOf(() -> f.rev.revocations.revoke(RevocationFixture.RA, "zz",
        RevocationReason.SUPERSEDED, Optional.empty()))).isEqualTo(ErrorKind.MALFORMED);
    assertThat(kindOf(() -> f.rev.revocations.revoke(RevocationFixture.RA, "abcdef",
        RevocationReason.SUPERSEDED, Optional.empty()))).isEqualTo(ErrorKind.NOT_FOUND);
  }

  @Test
  void revoke_caCertificate_adminOnly_andNeverOnHold() {
    IssuedCertificate caCert = f.ca.ca.certificates(CertificateQuery.byCa(
        org.keyhaven.ca.CaId.of("pca-standard"), 0, 50)).items().stream().filter(c -> c.profile().equals("ca")).findFirst().orElseThrow();
    assertThat(kindOf(() -> f.rev.revocations.revoke(RevocationFixture.RA, caCert.serialHex(),
        RevocationReason.CA_COMPROMISE, Optional.empty()))).isEqualTo(ErrorKind.FORBIDDEN);
    assertThat(kindOf(() -> f.rev.revocations.revoke(RevocationFixture.ADMIN,
        caCert.serialHex(), RevocationReason.CERTIFICATE_HOLD, Optional.empty())))
        .isEqualTo(ErrorKind.POLICY_VIOLATION);
  }

  @Test
  void revoke_concurrently_exactlyOneWins() throws Exception {
    var c = f.issue("svc2@example.org").cert();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    Callable<Boolean> task = () -> {
      try {
        f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
            RevocationReason.KEY_COMPROMISE, Optional.empty());
        return true;
      } catch (PkiException e) {
        assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT);
        return false;
      }
    };
    List<Future<Boolean>> results = pool.invokeAll(List.of(task, task, task, task));
    pool.shutdown();
    long wins = 0;
    for (Future<Boolean> r : results) {
      wins += r.get() ? 1 : 0;
    }
    assertThat(wins).isEqualTo(1);
  }

  @Test
  void selfService_ownKeyRevokes_replayAndForeignKeyAndBadStatementsRefused() throws Exception {
    var mine = f.issue("svc3@example.org");
    var other = f.issue("svc4@example.org");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    IssuedCertificate c = mine.cert();

    assertThat(kindOf(() -> call(() -> f.rev.revocations.selfService(cms(statement(c,
        "foreign-nonce-00001", "keyCompromise", now), other.cert(), other.key())))))
        .isEqualTo(ErrorKind.FORBIDDEN);
    assertThat(kindOf(() -> call(() -> f.rev.revocations.selfService(cms(statement(c,
        "ca-compromise-00001", "cACompromise", now), c, mine.key())))))
        .isEqualTo(ErrorKind.POLICY_VIOLATION);
    assertThat(kindOf(() -> call(() -> f.rev.revocations.selfService(cms(statement(c,
        "short", null, now), c, mine.key()))))).isEqualTo(ErrorKind.MALFORMED);
    assertThat(kindOf(() -> call(() -> f.rev.revocations.selfService(cms(statement(c,
        "stale-nonce-0000001", null, now.minus(2, ChronoUnit.HOURS)), c, mine.key())))))
        .isEqualTo(ErrorKind.POLICY_VIOLATION);
    assertThat(kindOf(() -> f.rev.revocations.selfService(new byte[] {0x30, 0x00})))
        .isEqualTo(ErrorKind.MALFORMED);

    byte[] good = cms(statement(c, "good-nonce-00000001", "keyCompromise", now), c, mine.key());
    IssuedCertificate revoked = f.rev.revocations.selfService(good);
    assertThat(revoked.status().state()).isEqualTo(CertificateStatus.State.REVOKED);
    assertThat(revoked.status().reasonCode()).isEqualTo(1);
    assertThat(kindOf(() -> f.rev.revocations.selfService(good))).isEqualTo(ErrorKind.CONFLICT);
    assertThat(f.ca.audit.entries).anyMatch(e -> e.contains("cert.revoke.self")
        && e.contains("failure"));
  }

  interface Call {
    Object run() throws Exception;
  }

  static void call(Call c) {
    try {
      c.run();
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
