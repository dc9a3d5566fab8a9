package org.keyhaven.ca.issuance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Date;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ASN1UTCTime;
import org.bouncycastle.asn1.x509.Time;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CertificateTimes writes the bytes BouncyCastle's {@code new Time(Date)} writes, at every edge. */
class CertificateTimesTest {

  static Stream<String> instants() {
    return Stream.of("1950-01-01T00:00:00Z", "1999-12-31T23:59:59Z", "2000-01-01T00:00:00Z",
        "2026-11-25T01:02:03.999Z", "2049-12-31T23:59:59.500Z", "2050-01-01T00:00:00Z",
        "2099-06-30T12:00:00Z", "1949-12-31T23:59:59Z", "9999-12-31T23:59:59Z");
  }

  @ParameterizedTest
  @MethodSource("instants")
  void sameDerAsBouncyCastle(String iso) throws Exception {
    Instant t = Instant.parse(iso);
    Time ours = CertificateTimes.of(t);
    Time theirs = new Time(Date.from(t));
    assertThat(ours.getEncoded("DER")).isEqualTo(theirs.getEncoded("DER"));
    assertThat(ours.getDate().toInstant()).isEqualTo(t.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    int year = Integer.parseInt(iso.substring(0, 4));
    assertThat(ours.toASN1Primitive()).isInstanceOf(year >= 1950 && year <= 2049
        ? ASN1UTCTime.class : ASN1GeneralizedTime.class);
  }
}
