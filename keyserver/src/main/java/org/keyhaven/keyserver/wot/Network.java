package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An immutable certification graph: keys with their user IDs, and every verified certification or
 * certification revocation, held in primitive arrays indexed by key, user ID and certification so
 * that a 100,000-key network fits in tens of megabytes. Built by {@link NetworkBuilder}.
 *
 * <p>Times are epoch milliseconds; {@link #NEVER} stands for "no such time".
 */
public final class Network {

  static final long NEVER = Long.MAX_VALUE;
  static final byte FLAG_REVOCATION = 1;
  static final byte FLAG_NON_REVOCABLE = 2;

  // keys
  final String[] fingerprint;
  final long[] keyCreated;
  final long[] keyExpires;
  final long[] keyRevoked;
  final boolean[] canCertify;
  final int[] uidStart; // user IDs of key k: uidStart[k] .. uidStart[k+1]-1
  // user IDs
  final String[] uidText;
  final int[] uidKey;
  final long[] uidRevoked;
  final long[] uidExpires;
  // certifications, sorted by (target user ID, issuer, creation time, arrival order)
  final int[] certIssuer;
  final int[] certUid;
  final long[] certCreated;
  final long[] certExpires;
  final byte[] certLevel;
  final byte[] certFlags;
  final TrustSignature[] certTrust; // null entries: no trust signature
  final int[] groupStart; // groups of equal (user ID, issuer): groupStart[g] .. groupStart[g+1]-1
  final int dropped;
  private final Map<String, Integer> index;

  private Network(int keys, int uids, int certs, int dropped) {
    fingerprint = new String[keys];
    keyCreated = new long[keys];
    keyExpires = new long[keys];
    keyRevoked = new long[keys];
    canCertify = new boolean[keys];
    uidStart = new int[keys + 1];
    uidText = new String[uids];
    uidKey = new int[uids];
    uidRevoked = new long[uids];
    uidExpires = new long[uids];
    certIssuer = new int[certs];
    certUid = new int[certs];
    certCreated = new long[certs];
    certExpires = new long[certs];
    certLevel = new byte[certs];
    certFlags = new byte[certs];
    certTrust = new TrustSignature[certs];
    index = new HashMap<>(keys * 2);
    this.dropped = dropped;
    this.groupStart = null;
  }

  // groupStart is known only after the arrays are filled; copying keeps every field final, which
  // makes the network safe to share between threads without locks.
  private Network(Network filled, int[] groups) {
    fingerprint = filled.fingerprint;
    keyCreated = filled.keyCreated;
    keyExpires = filled.keyExpires;
    keyRevoked = filled.keyRevoked;
    canCertify = filled.canCertify;
    uidStart = filled.uidStart;
    uidText = filled.uidText;
    uidKey = filled.uidKey;
    uidRevoked = filled.uidRevoked;
    uidExpires = filled.uidExpires;
    certIssuer = filled.certIssuer;
    certUid = filled.certUid;
    certCreated = filled.certCreated;
    certExpires = filled.certExpires;
    certLevel = filled.certLevel;
    certFlags = filled.certFlags;
    certTrust = filled.certTrust;
    index = filled.index;
    dropped = filled.dropped;
    groupStart = groups;
  }

  static Network compile(List<Node> nodes, List<Certification> input) {
    int keys = nodes.size();
    int uids = 0;
    List<List<UserIdState>> dedup = new ArrayList<>(keys);
    for (Node n : nodes) {
      Map<String, UserIdState> byText = new java.util.LinkedHashMap<>();
      for (UserIdState u : n.userIds()) {
        byText.putIfAbsent(u.userId(), u);
      }
      List<UserIdState> list = new ArrayList<>(byText.values());
      dedup.add(list);
      uids += list.size();
    }
    // resolve certifications to (issuer index, user ID index); unknown ones are dropped
    Map<String, Integer> idx = new HashMap<>(keys * 2);
    for (int k = 0; k < keys; k++) {
      idx.put(nodes.get(k).fingerprint(), k);
    }
    int[] starts = new int[keys + 1];
    for (int k = 0; k < keys; k++) {
      starts[k + 1] = starts[k] + dedup.get(k).size();
    }
    int[] resolvedUid = new int[input.size()];
    int[] resolvedIssuer = new int[input.size()];
    int kept = 0;
    for (int i = 0; i < input.size(); i++) {
      Certification c = input.get(i);
      Integer s = idx.get(c.issuer());
      Integer t = idx.get(c.target());
      int u = -1;
      if (s != null && t != null && !s.equals(t)) {
        List<UserIdState> tu = dedup.get(t);
        for (int j = 0; j < tu.size(); j++) {
          if (tu.get(j).userId().equals(c.userId())) {
            u = starts[t] + j;
            break;
          }
        }
      }
      resolvedUid[i] = u;
      resolvedIssuer[i] = s == null ? -1 : s;
      if (u >= 0) {
        kept++;
      }
    }
    Network net = new Network(keys, uids, kept, input.size() - kept);
    net.index.putAll(idx);
    for (int k = 0; k < keys; k++) {
      Node n = nodes.get(k);
      net.fingerprint[k] = n.fingerprint();
      net.keyCreated[k] = n.created().toEpochMilli();
      net.keyExpires[k] = millis(n.expiresAt());
      net.keyRevoked[k] = millis(n.revokedAt());
      net.canCertify[k] = n.canCertify();
      net.uidStart[k + 1] = starts[k + 1];
      List<UserIdState> list = dedup.get(k);
      for (int j = 0; j < list.size(); j++) {
        int u = starts[k] + j;
        net.uidText[u] = list.get(j).userId();
        net.uidKey[u] = k;
        net.uidRevoked[u] = millis(list.get(j).revokedAt());
        net.uidExpires[u] = millis(list.get(j).expiresAt());
      }
    }
    // counting sort by user ID keeps arrival order; then a stable insertion sort per user ID by
    // (issuer, creation time). Buckets are small (the certifications of one user ID).
    int[] bucket = new int[uids + 1];
    for (int i = 0; i < input.size(); i++) {
      if (resolvedUid[i] >= 0) {
        bucket[resolvedUid[i] + 1]++;
      }
    }
    for (int u = 0; u < uids; u++) {
      bucket[u + 1] += bucket[u];
    }
    int[] order = new int[kept];
    int[] fill = bucket.clone();
    for (int i = 0; i < input.size(); i++) {
      if (resolvedUid[i] >= 0) {
        order[fill[resolvedUid[i]]++] = i;
      }
    }
    for (int u = 0; u < uids; u++) {
      for (int a = bucket[u] + 1; a < bucket[u + 1]; a++) {
        int cur = order[a];
        int b = a - 1;
        while (b >= bucket[u] && after(input, resolvedIssuer, order[b], cur)) {
          order[b + 1] = order[b];
          b--;
        }
        order[b + 1] = cur;
      }
    }
    int groups = 0;
    int[] groupTmp = new int[kept + 1];
    for (int p = 0; p < kept; p++) {
      int i = order[p];
      Certification c = input.get(i);
      net.certIssuer[p] = resolvedIssuer[i];
      net.certUid[p] = resolvedUid[i];
      net.certCreated[p] = c.created().toEpochMilli();
      net.certExpires[p] = millis(c.expiresAt());
      net.certLevel[p] = (byte) c.level();
      net.certFlags[p] =
          (byte)
              ((c.kind() == Certification.Kind.REVOCATION ? FLAG_REVOCATION : 0)
                  | (c.revocable() ? 0 : FLAG_NON_REVOCABLE));
      net.certTrust[p] = c.trust();
      if (p == 0
          || net.certUid[p] != net.certUid[p - 1]
          || net.certIssuer[p] != net.certIssuer[p - 1]) {
        groupTmp[groups++] = p;
      }
    }
    groupTmp[groups] = kept;
    return new Network(net, java.util.Arrays.copyOf(groupTmp, groups + 1));
  }

  private static boolean after(List<Certification> in, int[] issuer, int x, int y) {
    if (issuer[x] != issuer[y]) {
      return issuer[x] > issuer[y];
    }
    return in.get(x).created().isAfter(in.get(y).created());
  }

  private static long millis(Instant t) {
    return t == null ? NEVER : t.toEpochMilli();
  }

  private static Instant instant(long millis) {
    return millis == NEVER ? null : Instant.ofEpochMilli(millis);
  }

  public int keyCount() {
    return fingerprint.length;
  }

  public int userIdCount() {
    return uidText.length;
  }

  /** Certifications and revocations kept (with a known issuer and target user ID). */
  public int certificationCount() {
    return certIssuer.length;
  }

  /** Certifications dropped at build time: unknown issuer, target or user ID, or self-signed. */
  public int droppedCertifications() {
    return dropped;
  }

  public boolean contains(String fpr) {
    return index.containsKey(fpr);
  }

  /** Index of a (normalised) fingerprint, or -1. */
  int indexOf(String fpr) {
    Integer i = index.get(fpr);
    return i == null ? -1 : i;
  }

  public List<String> fingerprints() {
    return Collections.unmodifiableList(java.util.Arrays.asList(fingerprint));
  }

  /** The node as it was added (normalised), if present. */
  public Optional<Node> node(String fpr) {
    int k = indexOf(Fingerprints.normalize(fpr));
    return k < 0 ? Optional.empty() : Optional.of(node(k));
  }

  Node node(int k) {
    List<UserIdState> ids = new ArrayList<>();
    for (int u = uidStart[k]; u < uidStart[k + 1]; u++) {
      ids.add(new UserIdState(uidText[u], instant(uidRevoked[u]), instant(uidExpires[u])));
    }
    return new Node(fingerprint[k], Instant.ofEpochMilli(keyCreated[k]), instant(keyExpires[k]),
        instant(keyRevoked[k]), canCertify[k], ids);
  }

  Certification certification(int c) {
    boolean rev = (certFlags[c] & FLAG_REVOCATION) != 0;
    int u = certUid[c];
    return new Certification(fingerprint[certIssuer[c]], fingerprint[uidKey[u]], uidText[u],
        Instant.ofEpochMilli(certCreated[c]), instant(certExpires[c]),
        rev ? Certification.Kind.REVOCATION : Certification.Kind.CERTIFICATION, certLevel[c],
        (certFlags[c] & FLAG_NON_REVOCABLE) == 0, certTrust[c]);
  }

  /** Every stored certification and revocation on the user IDs of {@code fpr}. */
  public List<Certification> certificationsOn(String fpr) {
    int k = indexOf(Fingerprints.normalize(fpr));
    List<Certification> out = new ArrayList<>();
    if (k < 0) {
      return out;
    }
    // certifications are sorted by user ID, and a key's user IDs are contiguous
    int lo = lowerBound(uidStart[k]);
    for (int c = lo; c < certUid.length && certUid[c] < uidStart[k + 1]; c++) {
      out.add(certification(c));
    }
    return out;
  }

  private int lowerBound(int uid) {
    int lo = 0;
    int hi = certUid.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (certUid[mid] < uid) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** A rough count of heap bytes held by the arrays (strings counted at 2 bytes a character). */
  public long estimatedHeapBytes() {
    long keys = fingerprint.length;
    long bytes = keys * (8 * 3 + 1 + 4 + 4 + 56 + 40 + 32); // times, flags, index, strings, map
    for (String s : uidText) {
      bytes += 40 + s.length() + 4 + 4 + 16;
    }
    bytes += (long) certIssuer.length * (4 + 4 + 8 + 8 + 1 + 1 + 4);
    bytes += (long) groupStart.length * 4;
    return bytes;
  }
}
