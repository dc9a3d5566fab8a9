package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shortest certification paths between two keys, like the old PGP pathfinder: a breadth-first
 * search over the certifications that count at the graph's time, ignoring owner trust. Each hop
 * names the signer, the certified user ID and the certification time.
 */
public final class PathFinder {

  private final EffectiveGraph g;

  public PathFinder(EffectiveGraph graph) {
    this.g = graph;
  }

  /**
   * Up to {@code limit} shortest paths from {@code from} to {@code to} of at most {@code maxHops}
   * certifications; empty when there is none (or either key is unknown).
   */
  public List<Path> shortestPaths(String from, String to, int maxHops, int limit) {
    Network net = g.net;
    int s = net.indexOf(Fingerprints.normalize(from));
    int t = net.indexOf(Fingerprints.normalize(to));
    if (s < 0 || t < 0 || s == t || maxHops < 1 || limit < 1) {
      return List.of();
    }
    int[] dist = new int[net.keyCount()];
    Arrays.fill(dist, -1);
    dist[s] = 0;
    int[] queue = new int[net.keyCount()];
    int head = 0;
    int tail = 0;
    queue[tail++] = s;
    while (head < tail && dist[t] < 0) {
      int k = queue[head++];
      if (dist[k] >= maxHops) {
        break;
      }
      for (int e = g.outStart[k]; e < g.outStart[k + 1]; e++) {
        int target = net.uidKey[g.outUid[e]];
        if (dist[target] < 0) {
          dist[target] = dist[k] + 1;
          queue[tail++] = target;
        }
      }
    }
    if (dist[t] < 0) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    collect(t, dist, new ArrayDeque<>(), out, limit);
    return out;
  }

  /** Walks back from {@code k} along certifications whose signer is one step nearer the source. */
  private void collect(int k, int[] dist, ArrayDeque<Hop> suffix, List<Path> out, int limit) {
    if (dist[k] == 0) {
      out.add(new Path(new ArrayList<>(suffix)));
      return;
    }
    for (int e = g.inStart[k]; e < g.inStart[k + 1] && out.size() < limit; e++) {
      int signer = g.inIssuer[e];
      if (dist[signer] == dist[k] - 1) {
        suffix.addFirst(hop(signer, g.inCert[e]));
        collect(signer, dist, suffix, out, limit);
        suffix.removeFirst();
      }
    }
  }

  /** The certifications that count on {@code fpr}'s user IDs. */
  public List<Hop> certificationsOn(String fpr) {
    int k = g.net.indexOf(Fingerprints.normalize(fpr));
    List<Hop> out = new ArrayList<>();
    if (k >= 0) {
      for (int e = g.inStart[k]; e < g.inStart[k + 1]; e++) {
        out.add(hop(g.inIssuer[e], g.inCert[e]));
      }
    }
    return out;
  }

  /** The certifications that count made by {@code fpr}. */
  public List<Hop> certificationsBy(String fpr) {
    int k = g.net.indexOf(Fingerprints.normalize(fpr));
    List<Hop> out = new ArrayList<>();
    if (k >= 0) {
      for (int e = g.outStart[k]; e < g.outStart[k + 1]; e++) {
        out.add(hop(k, g.outCert[e]));
      }
    }
    return out;
  }

  private Hop hop(int signer, int cert) {
    Network net = g.net;
    int u = net.certUid[cert];
    return new Hop(net.fingerprint[signer], net.fingerprint[net.uidKey[u]], net.uidText[u],
        Instant.ofEpochMilli(net.certCreated[cert]));
  }
}
