package org.keyhaven.ca.hierarchy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.CaFixture;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.issuance.RandomSerialGenerator;

/** The embedded directory's TLS certificate: profile, issuer, and renewal at half life. */
class LoopbackTlsCertificatesTest {
  /** A clock the test moves forward. */
  static final class Moving extends Clock {
    Instant now = Instant.now();

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void issuedByTheRoot_forTheLoopbackNames_andRenewedAtHalfLife(@TempDir Path dir)
      throws Exception {
    Moving clock = new Moving();
    CaFixture f = new CaFixture(dir, clock, false);
    f.ca.bootstrap();
    LoopbackTlsCertificates tls = new LoopbackTlsCertificates(f.ca.registry(),
        f.ca.certificateStore(), new RandomSerialGenerator(), f.audit, clock, Duration.ofDays(30),
        List.of("localhost", "127.0.0.1"));

    LoopbackTlsCertificates.Issued first = tls.current();
    X509Certificate x = new JcaX509CertificateConverter().getCertificate(first.certificate());
    X509Certificate root = new JcaX509CertificateConverter().getCertificate(
        f.ca.ca(CaId.of("root")).certificateHolder());
    x.verify(root.getPublicKey());
    assertThat(x.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
    assertThat(x.getBasicConstraints()).isEqualTo(-1);
    List<String> names = x.getSubjectAlternativeNames().stream()
        .map(l -> String.valueOf(l.get(1))).toList();
    assertThat(names).containsExactly("localhost", "127.0.0.1");
    assertThat(first.chain()).hasSize(2);
    assertThat(f.audit.entries).anyMatch(e -> e.contains("tls.certificate.issue"));

    clock.now = clock.now.plus(Duration.ofDays(14));
    assertThat(tls.current().serialHex()).isEqualTo(first.serialHex());
    clock.now = clock.now.plus(Duration.ofDays(2)); // past half of 30 days
    LoopbackTlsCertificates.Issued second = tls.current();
    assertThat(second.serialHex()).isNotEqualTo(first.serialHex());
    assertThat(second.notAfter()).isAfter(first.notAfter());
  }
}
