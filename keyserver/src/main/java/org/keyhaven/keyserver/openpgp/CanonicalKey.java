package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.Fingerprint;

/**
 * A key reduced to its verified first-party material, held as sets in a canonical order so that
 * the same material always encodes to the same bytes, whatever order it arrived in. Third-party
 * certifications live outside and are passed to {@link #encode(Map)} when serving.
 */
public final class CanonicalKey {
  /** Key revocations first (RFC 9580 §10.1), then oldest first. */
  static final Comparator<Sig> DIRECT_ORDER =
      Comparator.comparing((Sig s) -> s.type() != PGPSignature.KEY_REVOCATION)
          .thenComparing(Sig.CANONICAL);

  final Packet primary;
  final PGPPublicKey primaryKey;
  final Fingerprint fingerprint;
  final SortedSet<Sig> direct = new TreeSet<>(DIRECT_ORDER);
  final SortedMap<Packet, SortedSet<Sig>> userIds = new TreeMap<>();
  final SortedMap<Packet, SortedSet<Sig>> subkeys = new TreeMap<>();

  CanonicalKey(Packet primary, PGPPublicKey primaryKey) {
    this.primary = primary;
    this.primaryKey = primaryKey;
    this.fingerprint = Fingerprint.of(primaryKey.getFingerprint());
  }

  public Fingerprint fingerprint() {
    return fingerprint;
  }

  public PGPPublicKey primaryKey() {
    return primaryKey;
  }

  /** User ID and attribute packets, canonical order. */
  public List<Packet> userIdPackets() {
    return new ArrayList<>(userIds.keySet());
  }

  /** The verified self-signatures on one user ID (certifications and revocations). */
  public SortedSet<Sig> selfSignatures(Packet userId) {
    SortedSet<Sig> s = userIds.get(userId);
    return s == null ? new TreeSet<>(Sig.CANONICAL) : s;
  }

  public boolean hasUserId(Packet userId) {
    return userIds.containsKey(userId);
  }

  /** Subkey packets decoded, canonical order. */
  public List<PGPPublicKey> subkeyKeys() {
    List<PGPPublicKey> out = new ArrayList<>();
    for (Packet p : subkeys.keySet()) {
      out.add(PgpKeyReader.decodeKey(p));
    }
    return out;
  }

  public SortedMap<Packet, SortedSet<Sig>> subkeyMap() {
    return subkeys;
  }

  public SortedSet<Sig> directSignatures() {
    return direct;
  }

  /** True when a verified key revocation is present. */
  public boolean isRevoked() {
    return direct.stream().anyMatch(s -> s.type() == PGPSignature.KEY_REVOCATION);
  }

  /** First-party material only. */
  public byte[] encode() {
    return encode(Map.of());
  }

  /** Encodes as a transferable public key (RFC 9580 §10.1) with the given certifications added. */
  public byte[] encode(Map<Packet, ? extends Collection<Sig>> thirdParty) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
    primary.writeTo(out);
    direct.forEach(s -> s.packet().writeTo(out));
    for (Map.Entry<Packet, SortedSet<Sig>> e : userIds.entrySet()) {
      e.getKey().writeTo(out);
      e.getValue().forEach(s -> s.packet().writeTo(out));
      Collection<Sig> others = thirdParty.get(e.getKey());
      if (others != null) {
        List<Sig> sorted = new ArrayList<>(others);
        sorted.sort(Sig.CANONICAL);
        sorted.forEach(s -> s.packet().writeTo(out));
      }
    }
    for (Map.Entry<Packet, SortedSet<Sig>> e : subkeys.entrySet()) {
      e.getKey().writeTo(out);
      e.getValue().forEach(s -> s.packet().writeTo(out));
    }
    return out.toByteArray();
  }

  /**
   * Decodes first-party material this server stored earlier; it was verified when it was merged,
   * so nothing is verified again here.
   */
  public static CanonicalKey decodeStored(byte[] stored) {
    PacketFraming f = new PacketFraming(new ByteArrayInputStream(stored), Integer.MAX_VALUE);
    Packet p = f.next();
    if (p == null || p.tag() != Packet.PUBLIC_KEY) {
      throw PkiException.internal(null, "stored keyring does not start with a key packet");
    }
    CanonicalKey k = new CanonicalKey(p, PgpKeyReader.decodeKey(p));
    SortedSet<Sig> current = k.direct;
    while ((p = f.next()) != null) {
      switch (p.tag()) {
        case Packet.SIGNATURE -> current.add(Sig.parse(p));
        case Packet.USER_ID, Packet.USER_ATTRIBUTE -> {
          current = new TreeSet<>(Sig.CANONICAL);
          k.userIds.put(p, current);
        }
        case Packet.PUBLIC_SUBKEY -> {
          current = new TreeSet<>(Sig.CANONICAL);
          k.subkeys.put(p, current);
        }
        default -> throw PkiException.internal(null, "unexpected packet %d in stored key", p.tag());
      }
    }
    return k;
  }
}
