package org.keyhaven.ca.ocsp;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Optional;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.Hex;

/**
 * An encoded OCSPResponse ready to send. Successful answers carry their validity for the RFC 5019
 * §6 cache headers; error answers carry none.
 *
 */
public record OcspAnswer(Bytes der, Optional<Instant> thisUpdate, Optional<Instant> nextUpdate) {

  public static OcspAnswer of(byte[] der, Instant thisUpdate, Instant nextUpdate) {
    return new OcspAnswer(Bytes.copyOf(der), Optional.ofNullable(thisUpdate),
        Optional.ofNullable(nextUpdate));
  }

  /**
   * A strong HTTP entity tag over the DER (quoted). Computed when asked: only cacheable GET
   * answers carry one, and an answer with a nonce is sent once and never asked.
   */
  public String etag() {
    return etag(der.toByteArray());
  }

  public boolean successful() {
    return thisUpdate.isPresent();
  }

  static String etag(byte[] der) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(der);
      return "\"" + Hex.encode(java.util.Arrays.copyOf(h, 16)) + "\"";
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
