package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.Fingerprint;

/**
 * Reads uploads and key dumps into {@link KeyBlock}s under {@link PgpLimits}. A key that breaks a
 * limit is reported as {@link Rejected} and reading continues with the next key; data that is not
 * OpenPGP at all fails the whole read with MALFORMED. Third-party signatures beyond the per-user-ID
 * cap are dropped while reading (newest kept), so a flooded key costs bounded memory.
 */
public final class PgpKeyReader {

  /** One thing found in the input. */
  public sealed interface Item permits KeyBlock, LooseSignature, Rejected {}

  /** A signature outside any key, e.g. a revocation certificate made by {@code gpg --gen-revoke}. */
  public record LooseSignature(Sig sig) implements Item {}

  /** A key refused while reading; {@code fingerprint} is null when even the key packet was bad. */
  public record Rejected(Fingerprint fingerprint, PkiException reason) implements Item {}

  private static final BcKeyFingerprintCalculator FPR = new BcKeyFingerprintCalculator();
  private final PgpLimits limits;

  public PgpKeyReader(PgpLimits limits) {
    this.limits = limits;
  }

  /** Reads an armored or binary upload completely. */
  public List<Item> read(byte[] upload) {
    List<Item> items = new ArrayList<>();
    stream(new ByteArrayInputStream(Armor.toBinary(upload))).forEachRemaining(items::add);
    return items;
  }

  /** Reads binary OpenPGP data lazily, one key at a time (for multi-gigabyte dumps). */
  public Iterator<Item> stream(InputStream binary) {
    return new ItemIterator(new PacketFraming(binary, limits.hardMaxPacket()));
  }

  private final class ItemIterator implements Iterator<Item> {
    private final PacketFraming framing;
    private Packet lookahead;
    private Item next;

    ItemIterator(PacketFraming framing) {
      this.framing = framing;
    }

    @Override
    public boolean hasNext() {
      if (next == null) {
        next = readItem();
      }
      return next != null;
    }

    @Override
    public Item next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Item i = next;
      next = null;
      return i;
    }

    private Packet nextPacket() {
      if (lookahead != null) {
        Packet p = lookahead;
        lookahead = null;
        return p;
      }
      return framing.next();
    }

    private Item readItem() {
      while (true) {
        Packet p;
        try {
          p = nextPacket();
        } catch (PkiException e) {
          if (e.kind() == ErrorKind.TOO_LARGE) {
            return new Rejected(null, e);
          }
          throw e;
        }
        if (p == null) {
          return null;
        }
        switch (p.tag()) {
          case Packet.PUBLIC_KEY:
            return readKey(p);
          case Packet.SIGNATURE:
            try {
              return new LooseSignature(Sig.parse(p));
            } catch (PkiException e) {
              return new Rejected(null, e);
            }
          case Packet.SECRET_KEY:
          case Packet.SECRET_SUBKEY:
            throw PkiException.malformed("secret keys are not accepted; send only the public key");
          default:
            // Trust, marker and unknown packets outside a key carry nothing we keep.
            break;
        }
      }
    }

    private Item readKey(Packet primary) {
      Builder b = null;
      PkiException rejection = null;
      try {
        b = new Builder(primary);
      } catch (PkiException e) {
        rejection = e;
      }
      while (true) {
        Packet p;
        try {
          p = framing.next();
        } catch (PkiException e) {
          if (e.kind() != ErrorKind.TOO_LARGE) {
            throw e;
          }
          rejection = rejection == null ? e : rejection;
          continue;
        }
        if (p == null) {
          break;
        }
        if (p.tag() == Packet.PUBLIC_KEY) {
          lookahead = p;
          break;
        }
        if (p.tag() == Packet.SECRET_KEY || p.tag() == Packet.SECRET_SUBKEY) {
          throw PkiException.malformed("secret keys are not accepted; send only the public key");
        }
        if (rejection == null) {
          try {
            b.add(p);
          } catch (PkiException e) {
            rejection = e;
          }
        }
      }
      if (rejection != null) {
        return new Rejected(b == null ? null : b.block.fingerprint, rejection);
      }
      return b.finish();
    }
  }

  /** Assembles one key, bounding every signature list as it goes. */
  private final class Builder {
    final KeyBlock block;
    final byte[] fpr;
    final long keyId;
    List<Sig> currentSelf;
    List<Sig> currentOther;
    boolean inSubkey;
    final List<List<Sig>> otherLists = new ArrayList<>();

    Builder(Packet primary) {
      checkSize(primary, limits.maxKeyPacketBytes(), "public key");
      PGPPublicKey key = decodeKey(primary);
      block = new KeyBlock(primary, key);
      fpr = key.getFingerprint();
      keyId = key.getKeyID();
      currentSelf = block.directSigs;
    }

    void add(Packet p) {
      switch (p.tag()) {
        case Packet.SIGNATURE -> addSig(p);
        case Packet.USER_ID, Packet.USER_ATTRIBUTE -> {
          checkSize(p, p.tag() == Packet.USER_ID ? limits.maxUserIdBytes()
              : limits.maxUserAttributeBytes(), p.tag() == Packet.USER_ID ? "user ID" : "photo ID");
          if (block.userIds.size() >= limits.maxUserIds()) {
            throw PkiException.tooLarge("key %s has more than %d user IDs", block.fingerprint,
                limits.maxUserIds());
          }
          startComponent(p, block.userIds, false);
        }
        case Packet.PUBLIC_SUBKEY -> {
          checkSize(p, limits.maxKeyPacketBytes(), "subkey");
          decodeKey(p);
          if (block.subkeys.size() >= limits.maxSubkeys()) {
            throw PkiException.tooLarge("key %s has more than %d subkeys", block.fingerprint,
                limits.maxSubkeys());
          }
          startComponent(p, block.subkeys, true);
        }
        default -> {
          // RFC 9580 §10.1: trust and marker packets are ignored; unknown packets are dropped.
        }
      }
    }

    private void startComponent(Packet p, List<KeyBlock.Component> into, boolean subkey) {
      currentSelf = new ArrayList<>();
      currentOther = new ArrayList<>();
      inSubkey = subkey;
      into.add(new KeyBlock.Component(p, currentSelf, currentOther));
    }

    private void addSig(Packet p) {
      checkSize(p, limits.maxSignatureBytes(), "signature");
      Sig s;
      try {
        s = Sig.parse(p);
      } catch (PkiException e) {
        return; // an unreadable signature is dropped, as Hockeypuck's drop:unparseable does
      }
      if (s.issuedBy(fpr, keyId)) {
        bounded(currentSelf, s, limits.maxSelfSigsPerComponent());
      } else if (currentOther != null && !inSubkey) {
        block.droppedThirdParty += bounded(currentOther, s, limits.maxCandidatesPerUserId());
      }
      // Third-party signatures directly on the key or on subkeys are not kept.
    }

    KeyBlock finish() {
      trim(block.directSigs, limits.maxSelfSigsPerComponent());
      for (KeyBlock.Component c : block.userIds) {
        trim(c.selfSigs(), limits.maxSelfSigsPerComponent());
        block.droppedThirdParty += trim(c.otherSigs(), limits.maxCandidatesPerUserId());
      }
      for (KeyBlock.Component c : block.subkeys) {
        trim(c.selfSigs(), limits.maxSelfSigsPerComponent());
      }
      return block;
    }
  }

  /** Adds {@code s}; trims to the newest {@code cap} when the list doubles. Returns drops. */
  private static int bounded(List<Sig> list, Sig s, int cap) {
    list.add(s);
    return list.size() > 2 * cap ? trim(list, cap) : 0;
  }

  /** Deduplicates, sorts newest first and keeps {@code cap}; returns how many were dropped. */
  static int trim(List<Sig> list, int cap) {
    List<Sig> unique = new ArrayList<>(new LinkedHashSet<>(list));
    unique.sort(Sig.NEWEST_FIRST);
    int dropped = Math.max(0, unique.size() - cap);
    list.clear();
    list.addAll(unique.subList(0, Math.min(cap, unique.size())));
    return dropped;
  }

  private static void checkSize(Packet p, int max, String what) {
    if (p.length() > max) {
      throw PkiException.tooLarge("%s packet has %d bytes; the limit is %d", what, p.length(), max);
    }
  }

  /**
   * Recently decoded keys: bcpg's key constructor sets up curve parameters (costly for
   * Curve25519), and one import decodes each key several times (read, verify, index).
   */
  private static final java.util.Map<Packet, PGPPublicKey> DECODED =
      java.util.Collections.synchronizedMap(new java.util.LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<Packet, PGPPublicKey> e) {
          return size() > 4096;
        }
      });

  /** Decodes a public key or subkey packet with bcpg; total. */
  static PGPPublicKey decodeKey(Packet p) {
    PGPPublicKey cached = DECODED.get(p);
    if (cached != null) {
      return cached;
    }
    PGPPublicKey k = decodeKeyUncached(p);
    DECODED.put(p, k);
    return k;
  }

  private static PGPPublicKey decodeKeyUncached(Packet p) {
    try {
      BCPGInputStream in = new BCPGInputStream(new ByteArrayInputStream(p.encoded()));
      PublicKeyPacket packet = (PublicKeyPacket) in.readPacket();
      if (packet.getVersion() != 4 && packet.getVersion() != 6) {
        throw PkiException.unsupported("v%d keys are not accepted (only v4 and v6)",
            packet.getVersion());
      }
      return new PGPPublicKey(packet, FPR);
    } catch (PkiException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      throw PkiException.malformed("key packet cannot be decoded: %s", e.getMessage());
    }
  }
}
