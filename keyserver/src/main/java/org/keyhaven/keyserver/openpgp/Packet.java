package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * One OpenPGP packet as tag and body, independent of the header format it arrived in, so the same
 * packet sent in old and new format compares equal (RFC 9580 §4.2). Immutable.
 */
public final class Packet implements Comparable<Packet> {
  public static final int SIGNATURE = 2;
  public static final int SECRET_KEY = 5;
  public static final int PUBLIC_KEY = 6;
  public static final int SECRET_SUBKEY = 7;
  public static final int MARKER = 10;
  public static final int TRUST = 12;
  public static final int USER_ID = 13;
  public static final int PUBLIC_SUBKEY = 14;
  public static final int USER_ATTRIBUTE = 17;

  private final int tag;
  private final byte[] body;
  private final int hash;

  Packet(int tag, byte[] body) {
    this.tag = tag;
    this.body = body;
    this.hash = 31 * tag + Arrays.hashCode(body);
  }

  /** Wraps a copy of {@code body}. */
  public static Packet of(int tag, byte[] body) {
    return new Packet(tag, body.clone());
  }

  /** Decodes exactly one encoded packet (header plus body); anything else is MALFORMED. */
  public static Packet decode(byte[] encoded) {
    PacketFraming f = new PacketFraming(new java.io.ByteArrayInputStream(encoded), encoded.length);
    Packet p = f.next();
    if (p == null || f.offset() != encoded.length) {
      throw org.keyhaven.common.PkiException.malformed("expected exactly one OpenPGP packet");
    }
    return p;
  }

  public int tag() {
    return tag;
  }

  /** The body; callers must not modify it. */
  byte[] bodyUnsafe() {
    return body;
  }

  public byte[] body() {
    return body.clone();
  }

  public int length() {
    return body.length;
  }

  /** Writes the packet with a new-format header (RFC 9580 §4.2.1). */
  public void writeTo(ByteArrayOutputStream out) {
    out.write(0xC0 | tag);
    int n = body.length;
    if (n < 192) {
      out.write(n);
    } else if (n < 8384) {
      out.write(((n - 192) >> 8) + 192);
      out.write((n - 192) & 0xff);
    } else {
      out.write(255);
      out.write(n >>> 24);
      out.write(n >>> 16);
      out.write(n >>> 8);
      out.write(n);
    }
    out.write(body, 0, body.length);
  }

  /** Header plus body. */
  public byte[] encoded() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + 6);
    writeTo(out);
    return out.toByteArray();
  }

  @Override
  public int compareTo(Packet o) {
    int c = Integer.compare(tag, o.tag);
    return c != 0 ? c : Arrays.compareUnsigned(body, o.body);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Packet p && p.tag == tag && p.hash == hash && Arrays.equals(p.body, body);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "Packet(tag=" + tag + ", " + body.length + " bytes)";
  }
}
