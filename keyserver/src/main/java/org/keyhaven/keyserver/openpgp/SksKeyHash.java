package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The SKS key hash: what {@code op=hget} looks keys up by and what SKS recon exchanges. Every
 * packet of one key (as stored and served) is taken as (tag, body), independent of the header
 * format it was written in; the packets are sorted by tag, then by body (unsigned bytes, a prefix
 * before a longer body); each contributes its tag and body length as 4-byte big-endian integers
 * and then its body; the MD5 of that string, as 32 upper-case hex digits, is the hash. This is
 * the algorithm of SKS's {@code keyHash.ml} in words; {@code SksKeyHashTest} checks it against
 * hashes printed by Debian's sks.
 */
public final class SksKeyHash {
  /** Hex digits of a hash. */
  public static final int HEX_LENGTH = 32;

  private SksKeyHash() {}

  /** The hash of one key given as its binary packets (no armor); MALFORMED if unparseable. */
  public static String of(byte[] keyPackets) {
    PacketFraming framing = new PacketFraming(new ByteArrayInputStream(keyPackets),
        keyPackets.length);
    List<Packet> packets = new ArrayList<>();
    for (Packet p = framing.next(); p != null; p = framing.next()) {
      packets.add(p);
    }
    packets.sort(null); // Packet's order: tag, then body as unsigned bytes — the same as SKS's.
    MessageDigest md5;
    try {
      md5 = MessageDigest.getInstance("MD5");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
    byte[] header = new byte[8];
    for (Packet p : packets) {
      putInt(header, 0, p.tag());
      putInt(header, 4, p.length());
      md5.update(header);
      md5.update(p.bodyUnsafe());
    }
    return HexFormat.of().withUpperCase().formatHex(md5.digest());
  }

  /** True for 32 hex digits (either case). */
  public static boolean isHash(String s) {
    return s.length() == HEX_LENGTH && org.keyhaven.common.Hex.isHex(s);
  }

  /** The stored form of a hash a client typed: upper-case. */
  public static String normalize(String s) {
    return s.toUpperCase(Locale.ROOT);
  }

  private static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }
}
