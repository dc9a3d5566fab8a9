package org.keyhaven.ca.der;

import java.io.ByteArrayOutputStream;

/**
 * The two DER primitives the hand-written encoders share (CRLs, OCSP responses): a TLV with a
 * definite length in the shortest form, written into a stream or returned as an array.
 */
public final class Der {
  private Der() {}

  /** {@code tag}, the DER length of {@code content}, then {@code content}. */
  public static byte[] wrap(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
    tlv(out, tag, content);
    return out.toByteArray();
  }

  /** Writes {@code tag}, the DER length of {@code content}, then {@code content} to {@code out}. */
  public static void tlv(ByteArrayOutputStream out, int tag, byte[] content) {
    out.write(tag);
    int len = content.length;
    if (len < 0x80) {
      out.write(len);
    } else {
      int n = (32 - Integer.numberOfLeadingZeros(len) + 7) / 8;
      out.write(0x80 | n);
      for (int i = n - 1; i >= 0; i--) {
        out.write(len >>> (8 * i));
      }
    }
    out.write(content, 0, len);
  }
}
