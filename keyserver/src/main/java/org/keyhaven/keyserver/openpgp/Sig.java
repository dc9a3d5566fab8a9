package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.Comparator;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.sig.IssuerFingerprint;
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
  private final PGPSignature signature;
  private final Instant created;
  private final long issuerKeyId;
  private final byte[] issuerFingerprint;

  private Sig(Packet packet, PGPSignature signature) {
    this.packet = packet;
    this.signature = signature;
    this.created = signature.getCreationTime().toInstant();
    PGPSignatureSubpacketVector hashed = signature.getHashedSubPackets();
    PGPSignatureSubpacketVector unhashed = signature.getUnhashedSubPackets();
    IssuerFingerprint fp = hashed == null ? null : hashed.getIssuerFingerprint();
    if (fp == null && unhashed != null) {
      fp = unhashed.getIssuerFingerprint();
    }
    this.issuerFingerprint = fp == null ? null : fp.getFingerprint();
    this.issuerKeyId = signature.getKeyID();
  }

  /** Decodes a signature packet; anything bcpg cannot read is MALFORMED. */
  public static Sig parse(Packet packet) {
    if (packet.tag() != Packet.SIGNATURE) {
      throw PkiException.malformed("packet with tag %d is not a signature", packet.tag());
    }
    try {
      BCPGInputStream in = new BCPGInputStream(new ByteArrayInputStream(packet.encoded()));
      PGPSignature s = new PGPSignature(in);
      if (s.getVersion() < 4) {
        throw PkiException.unsupported("v%d signatures are not accepted", s.getVersion());
      }
      return new Sig(packet, s);
    } catch (PkiException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      throw PkiException.malformed("signature packet cannot be decoded: %s", e.getMessage());
    }
  }

  public Packet packet() {
    return packet;
  }

  PGPSignature signature() {
    return signature;
  }

  public int type() {
    return signature.getSignatureType();
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
      return java.util.Arrays.equals(issuerFingerprint, fingerprint);
    }
    return issuerKeyId == keyId;
  }

  public boolean isCertification() {
    int t = type();
    return t >= 0x10 && t <= 0x13;
  }

  /** Signature expiry (RFC 9580 §5.2.3.18) as an absolute time, or null. */
  public Instant expires() {
    PGPSignatureSubpacketVector h = signature.getHashedSubPackets();
    long secs = h == null ? 0 : h.getSignatureExpirationTime();
    return secs == 0 ? null : created.plusSeconds(secs);
  }

  /** Key expiry offset in seconds from the key's creation (§5.2.3.13); 0 means none. */
  public long keyExpirySeconds() {
    PGPSignatureSubpacketVector h = signature.getHashedSubPackets();
    return h == null ? 0 : h.getKeyExpirationTime();
  }

  public boolean isPrimaryUserId() {
    PGPSignatureSubpacketVector h = signature.getHashedSubPackets();
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
    PGPSignatureSubpacketVector h = signature.getHashedSubPackets();
    RegularExpression r = h == null ? null : h.getRegularExpression();
    return r == null ? null : r.getRegex();
  }

  private TrustSignature trust() {
    PGPSignatureSubpacketVector h = signature.getHashedSubPackets();
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
