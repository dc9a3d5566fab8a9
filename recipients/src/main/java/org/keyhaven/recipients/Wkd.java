package org.keyhaven.recipients;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * OpenPGP Web Key Directory naming (draft-koch-openpgp-webkey-service): the local part,
 * lower-cased (ASCII), hashed with SHA-1 and encoded in z-base-32.
 */
public final class Wkd {
  private static final char[] ZBASE32 = "ybndrfg8ejkmcpqxot1uwisza345h769".toCharArray();

  private Wkd() {}

  /** The 32-character hash of a local part, as in {@code /.well-known/openpgpkey/hu/<hash>}. */
  public static String hash(String localPart) {
    try {
      byte[] sha1 = MessageDigest.getInstance("SHA-1")
          .digest(localPart.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      return zbase32(sha1);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** z-base-32 (RFC 6189 §5.1.6 alphabet), 5 bits a character, most significant first. */
  static String zbase32(byte[] data) {
    StringBuilder sb = new StringBuilder();
    int buffer = 0;
    int bits = 0;
    for (byte b : data) {
      buffer = (buffer << 8) | (b & 0xff);
      bits += 8;
      while (bits >= 5) {
        sb.append(ZBASE32[(buffer >> (bits - 5)) & 31]);
        bits -= 5;
      }
    }
    if (bits > 0) {
      sb.append(ZBASE32[(buffer << (5 - bits)) & 31]);
    }
    return sb.toString();
  }
}
