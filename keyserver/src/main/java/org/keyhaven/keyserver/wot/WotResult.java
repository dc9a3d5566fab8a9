package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The outcome of one {@link ValidityCalculator} run: validity per key and user ID, the per-depth
 * summary GnuPG prints, and the counted certifications for {@link #explain(String)}. Immutable
 * after construction apart from a lazily built index, so it may be shared between threads.
 */
public final class WotResult {

  private final EffectiveGraph g;
  private final WotParameters params;
  private final OwnerTrust[] ownerTrust;
  private final byte[] keyVal;
  private final byte[] uidVal;
  private final int[] fullCount;
  private final int[] marginalCount;
  private final int[] introducerDepth;
  private final ValidityCalculator.Contributions contributions;
  private final List<DepthStats> depthStats;
  private volatile int[][] byUid; // [0]: start per user ID, [1]: contribution ids

  WotResult(
      EffectiveGraph g,
      WotParameters params,
      OwnerTrust[] ownerTrust,
      byte[] keyVal,
      byte[] uidVal,
      int[] fullCount,
      int[] marginalCount,
      int[] introducerDepth,
      ValidityCalculator.Contributions contributions,
      List<DepthStats> depthStats) {
    this.g = g;
    this.params = params;
    this.ownerTrust = ownerTrust;
    this.keyVal = keyVal;
    this.uidVal = uidVal;
    this.fullCount = fullCount;
    this.marginalCount = marginalCount;
    this.introducerDepth = introducerDepth;
    this.contributions = contributions;
    this.depthStats = List.copyOf(depthStats);
  }

  public WotParameters parameters() {
    return params;
  }

  public Network network() {
    return g.net;
  }

  public EffectiveGraph graph() {
    return g;
  }

  /** GnuPG's per-depth summary ({@code depth: d valid: n signed: s}). */
  public List<DepthStats> depthStats() {
    return depthStats;
  }

  /** The validity of one key, if the network holds it. */
  public Optional<KeyValidity> key(String fingerprint) {
    int k = g.net.indexOf(Fingerprints.normalize(fingerprint));
    return k < 0 ? Optional.empty() : Optional.of(key(k));
  }

  KeyValidity key(int k) {
    Network net = g.net;
    List<KeyValidity.UserIdValidity> ids = new ArrayList<>();
    for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
      ids.add(new KeyValidity.UserIdValidity(net.uidText[u], Validity.values()[uidVal[u]]));
    }
    return new KeyValidity(net.fingerprint[k], Validity.values()[keyVal[k]], ownerTrust[k], ids);
  }

  /** Validity of just the key, without building the record (for index pages). */
  public Validity keyValidity(String fingerprint) {
    int k = g.net.indexOf(Fingerprints.normalize(fingerprint));
    return k < 0 ? Validity.UNKNOWN : Validity.values()[keyVal[k]];
  }

  /** Every key, in network order. */
  public Map<String, KeyValidity> all() {
    Map<String, KeyValidity> out = new LinkedHashMap<>();
    for (int k = 0; k < keyVal.length; k++) {
      out.put(g.net.fingerprint[k], key(k));
    }
    return out;
  }

  /** How many keys have each validity. */
  public Map<Validity, Integer> histogram() {
    Map<Validity, Integer> h = new EnumMap<>(Validity.class);
    for (byte b : keyVal) {
      h.merge(Validity.values()[b], 1, Integer::sum);
    }
    return h;
  }

  /** Why {@code fingerprint} has its validity; empty if the network does not hold it. */
  public Optional<Explanation> explain(String fingerprint) {
    int k = g.net.indexOf(Fingerprints.normalize(fingerprint));
    if (k < 0) {
      return Optional.empty();
    }
    Network net = g.net;
    int[][] index = index();
    List<Explanation.UserIdExplanation> ids = new ArrayList<>();
    List<Path> paths = new ArrayList<>();
    for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
      List<Explanation.Contribution> list = new ArrayList<>();
      for (int p = index[0][u]; p < index[0][u + 1]; p++) {
        int c = index[1][p];
        int s = contributions.signer.items[c];
        int cert = contributions.cert.items[c];
        list.add(new Explanation.Contribution(net.fingerprint[s], ownerTrust[s],
            contributions.depth.items[c], Instant.ofEpochMilli(net.certCreated[cert])));
        List<Hop> chain = chainTo(s, new HashSet<>());
        if (chain != null) {
          chain.add(hop(s, cert));
          paths.add(new Path(chain));
        }
      }
      ids.add(new Explanation.UserIdExplanation(net.uidText[u], Validity.values()[uidVal[u]],
          fullCount[u], marginalCount[u], list));
    }
    return Optional.of(new Explanation(net.fingerprint[k], Validity.values()[keyVal[k]],
        ownerTrust[k], introducerDepth[k], ids, paths));
  }

  /**
   * Hops from an ultimately trusted root to introducer {@code k}: through a certification counted
   * on one of its user IDs by an introducer of a lower depth (depths strictly fall, so this ends).
   * Null when {@code k} never introduced anyone.
   */
  private List<Hop> chainTo(int k, Set<Integer> seen) {
    if (introducerDepth[k] < 0 || !seen.add(k)) {
      return null;
    }
    if (introducerDepth[k] == 0) {
      return new ArrayList<>();
    }
    int[][] index = index();
    Network net = g.net;
    int bestContribution = -1;
    for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
      for (int p = index[0][u]; p < index[0][u + 1]; p++) {
        int c = index[1][p];
        int s = contributions.signer.items[c];
        if (contributions.depth.items[c] < introducerDepth[k]
            && (bestContribution < 0
                || better(s, contributions.signer.items[bestContribution]))) {
          bestContribution = c;
        }
      }
    }
    if (bestContribution < 0) {
      return null;
    }
    int s = contributions.signer.items[bestContribution];
    List<Hop> chain = chainTo(s, seen);
    if (chain != null) {
      chain.add(hop(s, contributions.cert.items[bestContribution]));
    }
    return chain;
  }

  /** Prefers shallower introducers, then those whose certification counts more. */
  private boolean better(int a, int b) {
    if (introducerDepth[a] != introducerDepth[b]) {
      return introducerDepth[a] < introducerDepth[b];
    }
    return ownerTrust[a].code() > ownerTrust[b].code();
  }

  private Hop hop(int signer, int cert) {
    Network net = g.net;
    int u = net.certUid[cert];
    return new Hop(net.fingerprint[signer], net.fingerprint[net.uidKey[u]], net.uidText[u],
        Instant.ofEpochMilli(net.certCreated[cert]));
  }

  private int[][] index() {
    int[][] idx = byUid;
    if (idx == null) {
      int uids = g.net.userIdCount();
      int count = contributions.uid.size;
      int[] start = new int[uids + 1];
      for (int c = 0; c < count; c++) {
        start[contributions.uid.items[c] + 1]++;
      }
      for (int u = 0; u < uids; u++) {
        start[u + 1] += start[u];
      }
      int[] ids = new int[count];
      int[] fill = start.clone();
      for (int c = 0; c < count; c++) {
        ids[fill[contributions.uid.items[c]]++] = c;
      }
      idx = new int[][] {start, ids};
      byUid = idx;
    }
    return idx;
  }
}
