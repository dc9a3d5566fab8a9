package org.keyhaven.ca.revocation;

import java.math.BigInteger;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.keyhaven.common.PkiException;

/**
 * The small text statement a key holder signs to revoke their own certificate. UTF-8 lines of
 * {@code name: value}, in any order, each name once (see docs/REVOCATION.md):
 *
 * <pre>
 * keyhaven-revocation-request: 1
 * serial: 5f2a…           (lower- or upper-case hex, no colons)
 * reason: keyCompromise   (optional; unspecified, keyCompromise, affiliationChanged,
 *                          superseded or cessationOfOperation)
 * nonce: 3b1f…            (16-128 characters of [A-Za-z0-9_-], used once)
 * time: 2026-11-24T15:00:00Z
 * </pre>
 */
public record SelfServiceStatement(BigInteger serial, RevocationReason reason, String nonce,
    Instant time) {
  public static final String VERSION_LINE = "keyhaven-revocation-request";
  private static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{16,128}");
  private static final int MAX_BYTES = 2048;

  /** Parses the signed content; every problem is one MALFORMED naming the field. */
  public static SelfServiceStatement parse(byte[] content) {
    if (content.length > MAX_BYTES) {
      throw PkiException.malformed("revocation statement is longer than %d bytes", MAX_BYTES);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      throw PkiException.malformed("revocation statement is not UTF-8");
    }
    Map<String, String> fields = new HashMap<>();
    for (String raw : text.split("\r?\n")) {
      String line = raw.strip();
      if (line.isEmpty()) {
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw PkiException.malformed("revocation statement line is not 'name: value'");
      }
      String name = line.substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT);
      if (fields.put(name, line.substring(colon + 1).strip()) != null) {
        throw PkiException.malformed("revocation statement names '%s' twice", name);
      }
    }
    if (!"1".equals(fields.get(VERSION_LINE))) {
      throw PkiException.malformed("revocation statement must start with '%s: 1'",
          VERSION_LINE);
    }
    String serial = required(fields, "serial");
    if (!serial.matches("[0-9a-fA-F]{1,40}")) {
      throw PkiException.malformed("statement serial must be 1-40 hexadecimal digits");
    }
    String nonce = required(fields, "nonce");
    if (!NONCE.matcher(nonce).matches()) {
      throw PkiException.malformed("statement nonce must be 16-128 characters of A-Z a-z 0-9 _ -");
    }
    Instant time;
    try {
      time = Instant.parse(required(fields, "time"));
    } catch (DateTimeParseException e) {
      throw PkiException.malformed("statement time is not an RFC 3339 UTC time like"
          + " 2026-11-24T15:00:00Z");
    }
    RevocationReason reason = fields.containsKey("reason")
        ? RevocationReason.fromRfcName(fields.get("reason")) : RevocationReason.UNSPECIFIED;
    if (!reason.isSubscriberReason()) {
      throw PkiException.policy("rule self-service-reason: a key holder may not state %s",
          reason.rfcName());
    }
    return new SelfServiceStatement(new BigInteger(serial, 16), reason, nonce, time);
  }

  private static String required(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null || v.isEmpty()) {
      throw PkiException.malformed("revocation statement lacks '%s'", name);
    }
    return v;
  }
}
