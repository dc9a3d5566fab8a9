package org.keyhaven.keyserver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.openpgp.PGPSignature;
import org.keyhaven.common.Bytes;
import org.keyhaven.keyserver.openpgp.CanonicalKey;
import org.keyhaven.keyserver.openpgp.CertificationVerifier;
import org.keyhaven.keyserver.openpgp.KeyIndexer;
import org.keyhaven.keyserver.openpgp.Packet;
import org.keyhaven.keyserver.openpgp.Sig;
import org.keyhaven.keyserver.store.Certification;
import org.keyhaven.keyserver.store.KeyringStore;
import org.keyhaven.keyserver.store.KeyringWrite;
import org.keyhaven.keyserver.store.ThirdPartySignature;

/**
 * The CVE-2019-13050 policy for third-party certifications: keep one only when it verifies against
 * its issuer's key on this server, hold it (capped) while the issuer is unknown, and keep the
 * newest few per user ID. The caps select by (creation time, bytes), so results do not depend on
 * upload order.
 */
final class ThirdPartyPolicy {
  private static final Comparator<ThirdPartySignature> NEWEST_FIRST =
      Comparator.comparing(ThirdPartySignature::created).reversed()
          .thenComparing((a, b) -> Arrays.compareUnsigned(a.signaturePacket().toByteArray(),
              b.signaturePacket().toByteArray()));

  private final KeyringStore store;
  private final KeyserverPolicy policy;

  ThirdPartyPolicy(KeyringStore store, KeyserverPolicy policy) {
    this.store = store;
    this.policy = policy;
  }

  /**
   * The stored signatures plus the new candidates, verified or held, then capped. Candidates are
   * taken newest first and a signature whose issuer is known is verified only while it can still
   * enter the newest {@code maxCertificationsPerUserId}, so a flood costs at most that many
   * verifications per user ID (plus a bounded number of failures).
   */
  List<ThirdPartySignature> combine(CanonicalKey key, List<ThirdPartySignature> before,
      Map<Packet, List<Sig>> candidates) {
    Set<Bytes> seen = new HashSet<>();
    List<ThirdPartySignature> all = new ArrayList<>();
    Map<Bytes, List<Instant>> verifiedTimes = new HashMap<>();
    for (ThirdPartySignature t : before) {
      if (key.hasUserId(Packet.decode(t.userIdPacket().toByteArray()))
          && seen.add(t.signaturePacket())) {
        all.add(t);
        if (t.verified()) {
          verifiedTimes.computeIfAbsent(t.userIdPacket(), x -> new ArrayList<>()).add(t.created());
        }
      }
    }
    int maxVerified = policy.maxCertificationsPerUserId();
    Map<String, Optional<CanonicalKey>> issuers = new HashMap<>();
    for (Map.Entry<Packet, List<Sig>> e : candidates.entrySet()) {
      if (!key.hasUserId(e.getKey())) {
        continue;
      }
      Bytes uid = Bytes.copyOf(e.getKey().encoded());
      List<Instant> times = verifiedTimes.computeIfAbsent(uid, x -> new ArrayList<>());
      times.sort(Comparator.reverseOrder());
      List<Sig> newestFirst = new ArrayList<>(e.getValue());
      newestFirst.sort(Sig.NEWEST_FIRST);
      int failures = 0;
      for (Sig s : newestFirst) {
        Bytes sigBytes = Bytes.copyOf(s.packet().encoded());
        if (!seen.add(sigBytes)) {
          continue;
        }
        Optional<CanonicalKey> issuer = issuers.computeIfAbsent(issuerKey(s), x -> findIssuer(s));
        if (issuer.isEmpty()) {
          all.add(held(key, e.getKey(), s));
          continue;
        }
        if (issuer.get().fingerprint().equals(key.fingerprint())
            || failures >= 4 * maxVerified
            || (times.size() >= maxVerified && s.created().isBefore(times.get(maxVerified - 1)))) {
          continue; // cannot enter the newest kept, or too many forgeries already
        }
        if (CertificationVerifier.verifyUserId(s, e.getKey(), key.primaryKey(),
            issuer.get().primaryKey())) {
          all.add(verified(key, e.getKey(), s, issuer.get().fingerprint()));
          times.add(s.created());
          times.sort(Comparator.reverseOrder());
        } else {
          failures++;
        }
      }
    }
    return cap(all);
  }

  /** Verifies the signatures held on {@code key} that {@code issuer} made; drops forgeries. */
  List<ThirdPartySignature> promote(CanonicalKey key, List<ThirdPartySignature> before,
      CanonicalKey issuer) {
    List<ThirdPartySignature> out = new ArrayList<>();
    for (ThirdPartySignature t : before) {
      if (t.verified() || t.issuerKeyId().value() != issuer.primaryKey().getKeyID()) {
        out.add(t);
        continue;
      }
      Sig s = Sig.parse(Packet.decode(t.signaturePacket().toByteArray()));
      byte[] named = s.issuerFingerprint();
      if (named != null && !Arrays.equals(named, issuer.primaryKey().getFingerprint())) {
        out.add(t); // a key-ID collision: the real issuer has not arrived yet
        continue;
      }
      Packet uid = Packet.decode(t.userIdPacket().toByteArray());
      if (CertificationVerifier.verifyUserId(s, uid, key.primaryKey(), issuer.primaryKey())) {
        out.add(verified(key, uid, s, issuer.fingerprint()));
      }
    }
    return cap(out);
  }

  /** The transaction that stores {@code key} with these third-party signatures. */
  KeyringWrite write(CanonicalKey key, byte[] firstParty, List<ThirdPartySignature> third,
      Instant firstSeen, Instant now) {
    Map<Packet, List<Sig>> served = new LinkedHashMap<>();
    for (ThirdPartySignature t : third) {
      if (t.verified()) {
        served.computeIfAbsent(Packet.decode(t.userIdPacket().toByteArray()),
            x -> new ArrayList<>()).add(Sig.parse(Packet.decode(t.signaturePacket()
                .toByteArray())));
      }
    }
    KeyIndex index = KeyIndexer.index(key);
    StoredKeyring k = new StoredKeyring(key.fingerprint(), index, Bytes.copyOf(firstParty),
        Bytes.copyOf(key.encode(served)), firstSeen, now);
    List<Certification> self = new ArrayList<>();
    for (Packet uid : key.userIdPackets()) {
      for (Sig s : key.selfSignatures(uid)) {
        self.add(certification(s, key.fingerprint(), key.fingerprint(), uid));
      }
    }
    return new KeyringWrite(k, self, third);
  }

  private List<ThirdPartySignature> cap(List<ThirdPartySignature> all) {
    Map<String, List<ThirdPartySignature>> verified = new LinkedHashMap<>();
    Map<String, List<ThirdPartySignature>> held = new LinkedHashMap<>();
    for (ThirdPartySignature t : all) {
      (t.verified() ? verified : held).computeIfAbsent(t.userIdPacket().toString(),
          x -> new ArrayList<>()).add(t);
    }
    List<ThirdPartySignature> out = new ArrayList<>();
    verified.values().forEach(l -> out.addAll(newest(l, policy.maxCertificationsPerUserId())));
    held.values().forEach(l -> out.addAll(newest(l, policy.maxHeldPerUserId())));
    out.sort(NEWEST_FIRST);
    return out;
  }

  private static List<ThirdPartySignature> newest(List<ThirdPartySignature> l, int n) {
    l.sort(NEWEST_FIRST);
    return l.subList(0, Math.min(n, l.size()));
  }

  private static String issuerKey(Sig s) {
    byte[] f = s.issuerFingerprint();
    return f != null ? Arrays.toString(f) : Long.toHexString(s.issuerKeyId());
  }

  private Optional<CanonicalKey> findIssuer(Sig s) {
    byte[] f = s.issuerFingerprint();
    List<StoredKeyring> found;
    if (f != null && (f.length == 20 || f.length == 32)) {
      found = store.find(Fingerprint.of(f)).map(List::of).orElse(List.of());
    } else {
      found = store.findPrimaryByKeyId(new KeyId(s.issuerKeyId()));
    }
    return found.stream().findFirst()
        .map(k -> CanonicalKey.decodeStored(k.firstParty().toByteArray()));
  }

  private static ThirdPartySignature held(CanonicalKey key, Packet uid, Sig s) {
    return new ThirdPartySignature(key.fingerprint(), Bytes.copyOf(uid.encoded()),
        Bytes.copyOf(s.packet().encoded()), issuerKeyId(s), s.created(), null);
  }

  private static KeyId issuerKeyId(Sig s) {
    byte[] f = s.issuerFingerprint();
    return f != null && (f.length == 20 || f.length == 32) ? Fingerprint.of(f).keyId()
        : new KeyId(s.issuerKeyId());
  }

  private static ThirdPartySignature verified(CanonicalKey key, Packet uid, Sig s,
      Fingerprint issuer) {
    return new ThirdPartySignature(key.fingerprint(), Bytes.copyOf(uid.encoded()),
        Bytes.copyOf(s.packet().encoded()), issuer.keyId(), s.created(),
        certification(s, issuer, key.fingerprint(), uid));
  }

  static Certification certification(Sig s, Fingerprint issuer, Fingerprint target, Packet uid) {
    String text = uid.tag() == Packet.USER_ID ? KeyIndexer.userIdText(uid) : "[photo]";
    return new Certification(issuer, target, text, s.created(), s.type(), s.trustDepth(),
        s.trustAmount(), s.trustRegex(), s.expires(),
        s.type() == PGPSignature.CERTIFICATION_REVOCATION);
  }

}
