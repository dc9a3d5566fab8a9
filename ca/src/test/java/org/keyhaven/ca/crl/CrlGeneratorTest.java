package org.keyhaven.ca.crl;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.CaFixture;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.ca.revocation.RevokedEntry;

class CrlGeneratorTest {
  @TempDir Path dir;

  @Test
  void generate_100000Entries_signsAValidCrl() throws Exception {
    CaFixture f = new CaFixture(dir);
    f.ca.bootstrap();
    Random rnd = new Random(1);
    List<RevokedEntry> entries = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < 100_000; i++) {
      entries.add(new RevokedEntry(new BigInteger(127, rnd).setBit(126), now,
          Optional.of(RevocationReason.ofCode(1 + i % 5)),
          i % 3 == 0 ? Optional.of(now.minusSeconds(86400)) : Optional.empty()));
    }
    var signer = f.ca.registry().signer(CaId.of("ca-mail"));
    CrlGenerator.Spec spec = new CrlGenerator.Spec(CrlKind.FULL, BigInteger.TEN, BigInteger.ZERO,
        now, now.plusSeconds(86400), "http://127.0.0.1/crl/ca-mail.crl",
        "http://127.0.0.1/crl/ca-mail-delta.crl");
    CrlGenerator.generate(signer, spec, entries.subList(0, 1000));
    long t0 = System.nanoTime();
    byte[] der = CrlGenerator.generate(signer, spec, entries);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    System.out.println("CRL with 100000 entries: " + der.length + " bytes in " + ms + " ms");
    X509CRLHolder crl = new X509CRLHolder(der);
    assertThat(crl.getRevokedCertificates()).hasSize(100_000);
    assertThat(crl.isSignatureValid(new JcaContentVerifierProviderBuilder()
        .build(signer.certificate()))).isTrue();
    var entry = crl.getRevokedCertificate(entries.get(3).serial());
    assertThat(entry.getExtensions().getExtension(
        org.bouncycastle.asn1.x509.Extension.invalidityDate)).isNotNull();
    assertThat(((java.security.cert.X509CRL) java.security.cert.CertificateFactory
        .getInstance("X.509").generateCRL(new java.io.ByteArrayInputStream(der)))
        .getRevokedCertificates()).hasSize(100_000);
    // Timing is printed, not asserted (the CI machine is shared); bench/revocation compares it
    // with openssl ca -gencrl.
  }
}
