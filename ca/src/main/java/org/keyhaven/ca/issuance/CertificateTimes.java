package org.keyhaven.ca.issuance;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.x509.Time;

/**
 * Certificate validity times, encoded as RFC 5280 §4.1.2.5 asks: UTCTime through 2049,
 * GeneralizedTime from 2050, in seconds and always in Z. The same bytes as BouncyCastle's
 * {@code new Time(Date)}, without its per-call SimpleDateFormat and parse-back of the string
 * (a tenth of an end-entity TBS build in profiles).
 */
final class CertificateTimes {
  private static final DateTimeFormatter UTC_TIME =
      DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final DateTimeFormatter GENERALIZED_TIME =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private CertificateTimes() {}

  /** {@code t}, fractions of a second dropped, as an X.509 Time. */
  static Time of(Instant t) {
    int year = ZonedDateTime.ofInstant(t, ZoneOffset.UTC).getYear();
    boolean utc = year >= 1950 && year <= 2049;
    byte[] text = (utc ? UTC_TIME : GENERALIZED_TIME).format(t)
        .getBytes(StandardCharsets.US_ASCII);
    byte[] der = new byte[text.length + 2];
    der[0] = (byte) (utc ? 0x17 : 0x18); // UTCTime, GeneralizedTime (X.680 universal tags)
    der[1] = (byte) text.length;
    System.arraycopy(text, 0, der, 2, text.length);
    try {
      return Time.getInstance(ASN1Primitive.fromByteArray(der));
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode time " + t, e);
    }
  }
}
