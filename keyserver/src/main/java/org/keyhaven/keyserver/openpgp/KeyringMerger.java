package org.keyhaven.keyserver.openpgp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;

/**
 * Verifies the first-party material of uploaded keys and merges it with what is stored. The merge
 * is a set union followed by the same pruning and "newest kept" caps, so importing the same
 * material in any order, whole or in parts, yields byte-identical results.
 */
public final class KeyringMerger {

  /**
   * A key after self-signature checks.
   *
   * @param firstParty the verified user IDs, subkeys and self-signatures
   * @param thirdParty candidate third-party certifications per user ID packet, not yet verified
   * @param invalid self-signatures that failed to verify and were dropped
   */
  public record Verified(CanonicalKey firstParty, Map<Packet, List<Sig>> thirdParty, int invalid) {}

  private final PgpLimits limits;

  public KeyringMerger(PgpLimits limits) {
    this.limits = limits;
  }

  /** Keeps only self-signatures that verify, and components bound by one (RFC 9580 §5.2.4). */
  public Verified verify(KeyBlock block) {
    CanonicalKey k = new CanonicalKey(block.primary, block.primaryKey);
    PGPPublicKey pk = block.primaryKey;
    int invalid = 0;
    for (Sig s : block.directSigs) {
      if (CertificationVerifier.verifyDirect(s, pk)) {
        k.direct.add(s);
      } else {
        invalid++;
      }
    }
    Map<Packet, List<Sig>> third = new LinkedHashMap<>();
    for (KeyBlock.Component c : block.userIds) {
      SortedSet<Sig> good = k.userIds.computeIfAbsent(c.packet(), x -> new TreeSet<>(Sig.CANONICAL));
      for (Sig s : c.selfSigs()) {
        if (CertificationVerifier.verifyUserId(s, c.packet(), pk, pk)) {
          good.add(s);
        } else {
          invalid++;
        }
      }
      for (Sig s : c.otherSigs()) {
        if (s.isCertification() || s.type() == PGPSignature.CERTIFICATION_REVOCATION) {
          third.computeIfAbsent(c.packet(), x -> new ArrayList<>()).add(s);
        }
      }
    }
    for (KeyBlock.Component c : block.subkeys) {
      PGPPublicKey sub = PgpKeyReader.decodeKey(c.packet());
      SortedSet<Sig> good = k.subkeys.computeIfAbsent(c.packet(), x -> new TreeSet<>(Sig.CANONICAL));
      for (Sig s : c.selfSigs()) {
        if (CertificationVerifier.verifySubkey(s, pk, sub)) {
          good.add(s);
        } else {
          invalid++;
        }
      }
    }
    k.userIds.values().removeIf(SortedSet::isEmpty);
    k.subkeys.values().removeIf(SortedSet::isEmpty);
    return new Verified(k, third, invalid);
  }

  /**
   * Union of two verified keys with the same primary key, then pruning: a user ID stays only with
   * a self-certification, a subkey only with a binding; each signature set keeps its newest
   * {@link PgpLimits#maxSelfSigsPerComponent()}. {@code stored} may be null.
   */
  public CanonicalKey merge(CanonicalKey stored, CanonicalKey incoming) {
    CanonicalKey base = stored != null ? stored : incoming;
    if (stored != null && !stored.fingerprint.equals(incoming.fingerprint)) {
      throw new IllegalArgumentException("merging different keys");
    }
    CanonicalKey m = new CanonicalKey(base.primary, base.primaryKey);
    for (CanonicalKey k : stored == null ? List.of(incoming) : List.of(stored, incoming)) {
      m.direct.addAll(k.direct);
      union(m.userIds, k.userIds);
      union(m.subkeys, k.subkeys);
    }
    m.userIds.values().removeIf(sigs -> sigs.stream().noneMatch(Sig::isCertification));
    m.subkeys.values().removeIf(
        sigs -> sigs.stream().noneMatch(s -> s.type() == PGPSignature.SUBKEY_BINDING));
    cap(m.direct);
    m.userIds.values().forEach(this::cap);
    m.subkeys.values().forEach(this::cap);
    return m;
  }

  /**
   * The stored key plus a detached key revocation (a "revocation certificate", RFC 9580
   * §5.2.1.11), or null when the signature is no key revocation by that key.
   */
  public CanonicalKey withKeyRevocation(CanonicalKey stored, Sig revocation) {
    if (revocation.type() != PGPSignature.KEY_REVOCATION
        || !CertificationVerifier.verifyDirect(revocation, stored.primaryKey)) {
      return null;
    }
    CanonicalKey k = new CanonicalKey(stored.primary, stored.primaryKey);
    k.direct.add(revocation);
    return merge(stored, k);
  }

  /** True when at least one user ID carries a verified self-certification. */
  public static boolean hasCertifiedUserId(CanonicalKey k) {
    return k.userIds.values().stream().anyMatch(s -> s.stream().anyMatch(Sig::isCertification));
  }

  private static void union(SortedMap<Packet, SortedSet<Sig>> into,
      SortedMap<Packet, SortedSet<Sig>> from) {
    from.forEach((p, sigs) -> into.computeIfAbsent(p, x -> new TreeSet<>(Sig.CANONICAL))
        .addAll(sigs));
  }

  private void cap(SortedSet<Sig> sigs) {
    int max = limits.maxSelfSigsPerComponent();
    if (sigs.size() > max) {
      List<Sig> newest = new ArrayList<>(sigs);
      newest.sort(Sig.NEWEST_FIRST);
      sigs.clear();
      sigs.addAll(newest.subList(0, max));
    }
  }
}
