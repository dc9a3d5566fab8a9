package org.keyhaven.keyserver;

import java.util.Locale;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.Hex;
import org.keyhaven.common.PkiException;

/** An OpenPGP key fingerprint: 20 bytes for v4 keys, 32 bytes for v6 keys (RFC 9580 §5.5.4). */
public record Fingerprint(Bytes value) implements Comparable<Fingerprint> {

  public Fingerprint {
    if (value.size() != 20 && value.size() != 32) {
      throw PkiException.malformed("a fingerprint has 20 (v4) or 32 (v6) bytes, not %d", value.size());
    }
  }

  public static Fingerprint of(byte[] bytes) {
    return new Fingerprint(Bytes.copyOf(bytes));
  }

  /** Parses 40 or 64 hex digits, with or without a {@code 0x} prefix, in either case. */
  public static Fingerprint parse(String text) {
    String hex = text.startsWith("0x") || text.startsWith("0X") ? text.substring(2) : text;
    if (hex.length() != 40 && hex.length() != 64) {
      throw PkiException.malformed("a fingerprint has 40 or 64 hex digits, not %d", hex.length());
    }
    return of(Hex.decode(hex));
  }

  /** The key version the length implies: 4 or 6. */
  public int version() {
    return value.size() == 20 ? 4 : 6;
  }

  /** The key ID: the low 64 bits for v4 (RFC 4880 §12.2), the high 64 bits for v6. */
  public KeyId keyId() {
    byte[] b = value.toByteArray();
    int off = version() == 4 ? b.length - 8 : 0;
    long id = 0;
    for (int i = 0; i < 8; i++) {
      id = (id << 8) | (b[off + i] & 0xff);
    }
    return new KeyId(id);
  }

  /** Lower-case hex, the storage form. */
  public String hex() {
    return value.toString();
  }

  /** Upper-case hex, the form gpg and HKP indexes print. */
  public String upperHex() {
    return hex().toUpperCase(Locale.ROOT);
  }

  @Override
  public int compareTo(Fingerprint o) {
    return hex().compareTo(o.hex());
  }

  @Override
  public String toString() {
    return upperHex();
  }
}
