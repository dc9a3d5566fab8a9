package org.keyhaven.keyserver.openpgp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyIndex;
import org.keyhaven.keyserver.KeyIndex.IndexedUserId;

/** Derives the searchable {@link KeyIndex} of a key from its verified self-signatures. */
public final class KeyIndexer {
  private KeyIndexer() {}

  public static KeyIndex index(CanonicalKey k) {
    PGPPublicKey pk = k.primaryKey;
    Instant created = pk.getCreationTime().toInstant();
    Sig newestSelf = null;
    List<IndexedUserId> uids = new ArrayList<>();
    for (Map.Entry<Packet, SortedSet<Sig>> e : k.userIds.entrySet()) {
      Sig newestCert = null;
      Sig newest = null;
      for (Sig s : e.getValue()) {
        newest = newest == null || !s.created().isBefore(newest.created()) ? s : newest;
        if (s.isCertification()) {
          newestCert = newestCert == null || !s.created().isBefore(newestCert.created())
              ? s : newestCert;
        }
      }
      boolean revoked = newest != null && newest.type() == PGPSignature.CERTIFICATION_REVOCATION;
      if (newestCert != null && !revoked
          && (newestSelf == null || newestCert.created().isAfter(newestSelf.created()))) {
        newestSelf = newestCert;
      }
      boolean attribute = e.getKey().tag() == Packet.USER_ATTRIBUTE;
      String text = attribute ? "[photo]" : userIdText(e.getKey());
      uids.add(new IndexedUserId(text, attribute ? null : email(text),
          newestCert == null ? created : newestCert.created(),
          newestCert == null ? null : newestCert.expires(), revoked, attribute));
    }
    for (Sig s : k.direct) {
      if (s.type() == PGPSignature.DIRECT_KEY
          && (newestSelf == null || s.created().isAfter(newestSelf.created()))) {
        newestSelf = s;
      }
    }
    long expirySecs = newestSelf == null ? 0 : newestSelf.keyExpirySeconds();
    List<Fingerprint> subs = new ArrayList<>();
    for (Packet p : k.subkeys.keySet()) {
      subs.add(Fingerprint.of(PgpKeyReader.decodeKey(p).getFingerprint()));
    }
    return new KeyIndex(pk.getVersion(), pk.getAlgorithm(), pk.getBitStrength(), created,
        expirySecs == 0 ? null : created.plusSeconds(expirySecs), k.isRevoked(), uids, subs);
  }

  /** The user ID as text; invalid UTF-8 is replaced rather than refused (RFC 9580 §5.11). */
  public static String userIdText(Packet userId) {
    return new String(userId.bodyUnsafe(), StandardCharsets.UTF_8);
  }

  /** The e-mail address in a user ID ("Name <a@b>" or a bare "a@b"), lower-cased, or null. */
  public static String email(String userId) {
    int lt = userId.lastIndexOf('<');
    int gt = userId.lastIndexOf('>');
    String candidate = lt >= 0 && gt > lt ? userId.substring(lt + 1, gt) : userId.strip();
    int at = candidate.indexOf('@');
    if (at <= 0 || at == candidate.length() - 1 || candidate.indexOf('@', at + 1) >= 0
        || candidate.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>')) {
      return null;
    }
    return candidate.toLowerCase(Locale.ROOT);
  }
}
