package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.sig.RegularExpression;
import org.bouncycastle.bcpg.sig.TrustSignature;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.keyhaven.common.PkiException;

/**
 * A signature packet with the fields the keyserver needs decoded once: type, creation, issuer,
 * expiry and trust-signature parameters. Equality is the packet's bytes.
 */
public final class Sig {
  /** Newest first, ties broken by bytes: the order "newest kept" caps select in. */
  public static final Comparator<Sig> NEWEST_FIRST =
      Comparator.comparing(Sig::created).reversed().thenComparing(Sig::packet);

  /** Oldest first, ties broken by bytes: the canonical serialisation order. */
  public static final Comparator<Sig> CANONICAL =
      Comparator.comparing(Sig::created).thenComparing(Sig::packet);

  private final Packet packet;
  private final int type;
  private final Instant created;
  private final long issuerKeyId;
  private final byte[] issuerFingerprint;
  private PGPSignature signature;

  private Sig(Packet packet, int type, Instant created, long issuerKeyId, byte[] issuerFpr) {
    this.packet = packet;
    this.type = type;
    this.created = created;
    this.issuerKeyId = issuerKeyId;
    this.issuerFingerprint = issuerFpr;
  }

  /**
   * Decodes the header fields of a v4 or v6 signature packet (RFC 9580 §5.2.3) without bcpg, so a
   * flood of signatures costs little memory; bcpg parses the rest only when needed. Total:
   * anything unreadable is MALFORMED, other versions UNSUPPORTED.
   */
  public static Sig parse(Packet packet) {
    if (packet.tag() != Packet.SIGNATURE) {
      throw PkiException.malformed("packet with tag %d is not a signature", packet.tag());
    }
    byte[] b = packet.bodyUnsafe();
    try {
      int version = b[0] & 0xff;
      if (version != 4 && version != 6) {
        throw PkiException.unsupported("v%d signatures are not accepted", version);
      }
      int type = b[1] & 0xff;
      int lenBytes = version == 4 ? 2 : 4;
      int pos = 4;
      int hashedLen = (int) uint(b, pos, lenBytes);
      pos += lenBytes;
      Fields f = new Fields();
      subpackets(b, pos, hashedLen, true, f);
      pos += hashedLen;
      int unhashedLen = (int) uint(b, pos, lenBytes);
      pos += lenBytes;
      subpackets(b, pos, unhashedLen, false, f);
      if (pos + unhashedLen + 2 > b.length || hashedLen < 0 || unhashedLen < 0) {
        throw PkiException.malformed("signature packet is truncated");
      }
      if (f.created < 0) {
        throw PkiException.malformed("signature has no hashed creation time");
      }
      long keyId = f.keyId;
      if (f.fpr != null && !f.keyIdSet) {
        keyId = issuerIdFromFingerprint(f.fpr);
      }
      return new Sig(packet, type, Instant.ofEpochSecond(f.created), keyId, f.fpr);
    } catch (ArrayIndexOutOfBoundsException e) {
      throw PkiException.malformed("signature packet is truncated");
    }
  }

  private static final class Fields {
    long created = -1;
    long keyId;
    boolean keyIdSet;
    byte[] fpr;
  }

  /** Walks signature subpackets (RFC 9580 §5.2.3.7) for creation time and issuer. */
  private static void subpackets(byte[] b, int pos, int len, boolean hashed, Fields f) {
    int end = pos + len;
    if (end > b.length) {
      throw PkiException.malformed("signature subpackets overrun the packet");
    }
    while (pos < end) {
      int o1 = b[pos++] & 0xff;
      long n;
      if (o1 < 192) {
        n = o1;
      } else if (o1 < 255) {
        n = ((o1 - 192) << 8) + (b[pos++] & 0xff) + 192;
      } else {
        n = uint(b, pos, 4);
        pos += 4;
      }
      if (n < 1 || pos + n > end) {
        throw PkiException.malformed("bad signature subpacket length");
      }
      int t = b[pos] & 0x7f;
      int data = pos + 1;
      int dataLen = (int) n - 1;
      if (t == 2 && hashed && dataLen == 4) {
        f.created = uint(b, data, 4);
      } else if (t == 16 && dataLen == 8 && !f.keyIdSet) {
        f.keyId = uint(b, data, 8);
        f.keyIdSet = true;
      } else if (t == 33 && dataLen >= 21 && f.fpr == null) {
        f.fpr = Arrays.copyOfRange(b, data + 1, data + dataLen);
      }
      pos += (int) n;
    }
  }

  private static long uint(byte[] b, int pos, int n) {
    long v = 0;
    for (int i = 0; i < n; i++) {
      v = (v << 8) | (b[pos + i] & 0xff);
    }
    return v;
  }

  private static long issuerIdFromFingerprint(byte[] fpr) {
    int off = fpr.length == 20 ? 12 : 0;
    return fpr.length >= 8 ? uint(fpr, off, 8) : 0;
  }

  public Packet packet() {
    return packet;
  }

  /** The bcpg view, parsed on first use; MALFORMED when bcpg cannot read the packet. */
  PGPSignature signature() {
    if (signature == null) {
      try {
        signature = new PGPSignature(new BCPGInputStream(
            new ByteArrayInputStream(packet.encoded())));
      } catch (Exception | StackOverflowError e) {
        throw PkiException.malformed("signature packet cannot be decoded: %s", e.getMessage());
      }
    }
    return signature;
  }

  public int type() {
    return type;
  }

  public Instant created() {
    return created;
  }

  public long issuerKeyId() {
    return issuerKeyId;
  }

  /** The issuer fingerprint subpacket (RFC 9580 §5.2.3.35), or null when absent. */
  public byte[] issuerFingerprint() {
    return issuerFingerprint == null ? null : issuerFingerprint.clone();
  }

  /** True when the issuer fields name a key with this fingerprint and key ID. */
  public boolean issuedBy(byte[] fingerprint, long keyId) {
    if (issuerFingerprint != null) {
      return Arrays.equals(issuerFingerprint, fingerprint);
    }
    return issuerKeyId == keyId;
  }

  public boolean isCertification() {
    int t = type();
    return t >= 0x10 && t <= 0x13;
  }

  /** Signature expiry (RFC 9580 §5.2.3.18) as an absolute time, or null. */
  public Instant expires() {
    PGPSignatureSubpacketVector h = signature().getHashedSubPackets();
    long secs = h == null ? 0 : h.getSignatureExpirationTime();
    return secs == 0 ? null : created.plusSeconds(secs);
  }

  /** Key expiry offset in seconds from the key's creation (§5.2.3.13); 0 means none. */
  public long keyExpirySeconds() {
    PGPSignatureSubpacketVector h = signature().getHashedSubPackets();
    return h == null ? 0 : h.getKeyExpirationTime();
  }

  public boolean isPrimaryUserId() {
    PGPSignatureSubpacketVector h = signature().getHashedSubPackets();
    return h != null && h.isPrimaryUserID();
  }

  /** Trust signature depth (§5.2.3.21), 0 when this is no trust signature. */
  public int trustDepth() {
    TrustSignature t = trust();
    return t == null ? 0 : t.getDepth();
  }

  /** Trust amount (§5.2.3.21): 120 full, 60 partial; 0 when this is no trust signature. */
  public int trustAmount() {
    TrustSignature t = trust();
    return t == null ? 0 : t.getTrustAmount();
  }

  /** The regular expression scoping a trust signature (§5.2.3.22), or null. */
  public String trustRegex() {
    PGPSignatureSubpacketVector h = signature().getHashedSubPackets();
    RegularExpression r = h == null ? null : h.getRegularExpression();
    return r == null ? null : r.getRegex();
  }

  private TrustSignature trust() {
    PGPSignatureSubpacketVector h = signature().getHashedSubPackets();
    return h == null ? null : h.getTrust();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Sig s && s.packet.equals(packet);
  }

  @Override
  public int hashCode() {
    return packet.hashCode();
  }
}
