package org.keyhaven.keyserver.openpgp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import org.keyhaven.common.PkiException;

/**
 * Reads OpenPGP packets one at a time (RFC 9580 §4.2), refusing partial and indeterminate lengths,
 * which key material never uses, truncated input and packets above a hard size limit. Total:
 * every failure is one {@link PkiException}.
 */
final class PacketFraming {
  private final InputStream in;
  private final int hardMaxPacket;
  private long offset;

  PacketFraming(InputStream in, int hardMaxPacket) {
    this.in = in;
    this.hardMaxPacket = hardMaxPacket;
  }

  /** Bytes consumed so far. */
  long offset() {
    return offset;
  }

  /** The next packet, or null at the end of the input. */
  Packet next() {
    try {
      int ctb = in.read();
      if (ctb < 0) {
        return null;
      }
      long start = offset++;
      if ((ctb & 0x80) == 0) {
        throw PkiException.malformed("not OpenPGP data: bad packet header 0x%02x at offset %d",
            ctb, start);
      }
      int tag;
      long len;
      if ((ctb & 0x40) != 0) {
        tag = ctb & 0x3f;
        int o1 = read1();
        if (o1 < 192) {
          len = o1;
        } else if (o1 < 224) {
          len = ((o1 - 192) << 8) + read1() + 192;
        } else if (o1 == 255) {
          len = readN(4);
        } else {
          throw PkiException.malformed("partial-length packets are not allowed in keys (tag %d)",
              tag);
        }
      } else {
        tag = (ctb >> 2) & 0x0f;
        switch (ctb & 3) {
          case 0 -> len = read1();
          case 1 -> len = readN(2);
          case 2 -> len = readN(4);
          default -> throw PkiException.malformed(
              "indeterminate-length packets are not allowed in keys (tag %d)", tag);
        }
      }
      if (len > hardMaxPacket) {
        // Skip the body so the stream stays in step and the caller can reject just this key.
        in.skipNBytes(len);
        offset += len;
        throw PkiException.tooLarge("packet with tag %d at offset %d has %d bytes; the limit is %d",
            tag, start, len, hardMaxPacket);
      }
      byte[] body = in.readNBytes((int) len);
      offset += body.length;
      if (body.length != len) {
        throw PkiException.malformed("truncated packet (tag %d, %d bytes declared, %d present)",
            tag, len, body.length);
      }
      return new Packet(tag, body);
    } catch (EOFException e) {
      throw PkiException.malformed("truncated packet header at offset %d", offset);
    } catch (IOException e) {
      throw PkiException.malformed(e, "cannot read OpenPGP data: %s", e.getMessage());
    }
  }

  private int read1() throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException();
    }
    offset++;
    return b;
  }

  private long readN(int n) throws IOException {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | read1();
    }
    return v;
  }
}
