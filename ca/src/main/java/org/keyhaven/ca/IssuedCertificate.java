package org.keyhaven.ca;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.common.Bytes;

/**
 * A certificate this CA issued (end entity or CA), as stored.
 *
 * @param profile the end-entity profile wire name, or {@code ca} for CA certificates
 */
public record IssuedCertificate(
    BigInteger serial,
    CaId caId,
    String profile,
    String subject,
    List<String> emails,
    Instant notBefore,
    Instant notAfter,
    Bytes der,
    CertificateStatus status,
    Instant issuedAt,
    String requestedBy) {

  public static final String CA_PROFILE = "ca";

  public IssuedCertificate {
    emails = List.copyOf(emails);
  }

  /** The serial as every path names it: lower-case hex, no colons, no leading zeros. */
  public String serialHex() {
    return serialHex(serial);
  }

  public static String serialHex(BigInteger serial) {
    return serial.toString(16);
  }

  /** Parses the path form; anything else is MALFORMED. */
  public static BigInteger parseSerial(String hex) {
    if (hex == null || !hex.matches("[0-9a-fA-F]{1,40}")) {
      throw org.keyhaven.common.PkiException.malformed(
          "serial must be 1-40 hexadecimal digits without colons");
    }
    return new BigInteger(hex, 16);
  }

  public String pem() {
    return pem("CERTIFICATE", der.toByteArray());
  }

  /**
   * RFC 7468 text: 64-character base64 lines, "\n" line ends (the same text BouncyCastle's
   * PemWriter gives on Unix; the JDK encoder is several times faster, and recipient lookups
   * encode every certificate and chain they answer with).
   */
  public static String pem(String type, byte[] der) {
    String body = der.length == 0 ? "" : PEM_BASE64.encodeToString(der) + "\n";
    return "-----BEGIN " + type + "-----\n" + body + "-----END " + type + "-----\n";
  }

  private static final java.util.Base64.Encoder PEM_BASE64 =
      java.util.Base64.getMimeEncoder(64, new byte[] {'\n'});
}
