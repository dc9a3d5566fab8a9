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
   *
   * <p>Bidirectional breadth-first search: whole levels are expanded from whichever side has the
   * cheaper frontier, forwards along certifications from {@code from} and backwards from {@code
   * to}, until the two meet. Every shortest path of length d then crosses exactly one node at
   * forward distance {@code max(0, d - backwardRadius)}, so paths are assembled at those nodes
   * without duplicates.
   */
  public List<Path> shortestPaths(String from, String to, int maxHops, int limit) {
    Network net = g.net;
    int s = net.indexOf(Fingerprints.normalize(from));
    int t = net.indexOf(Fingerprints.normalize(to));
    if (s < 0 || t < 0 || s == t || maxHops < 1 || limit < 1) {
      return List.of();
    }
    int n = net.keyCount();
    int[] df = new int[n];
    int[] db = new int[n];
    Arrays.fill(df, -1);
    Arrays.fill(db, -1);
    df[s] = 0;
    db[t] = 0;
    int[] forward = {s};
    int[] backward = {t};
    int rf = 0;
    int rb = 0;
    int d = -1;
    while (d < 0 && rf + rb < maxHops && forward.length > 0 && backward.length > 0) {
      if (cost(forward, g.outStart) <= cost(backward, g.inStart)) {
        forward = expandForward(forward, df, ++rf);
        for (int v : forward) {
          if (db[v] >= 0 && (d < 0 || df[v] + db[v] < d)) {
            d = df[v] + db[v];
          }
        }
      } else {
        backward = expandBackward(backward, db, ++rb);
        for (int v : backward) {
          if (df[v] >= 0 && (d < 0 || df[v] + db[v] < d)) {
            d = df[v] + db[v];
          }
        }
      }
    }
    if (d < 0 || d > maxHops) {
      return List.of();
    }
    int cut = Math.max(0, d - rb);
    List<Path> out = new ArrayList<>();
    for (int v = 0; v < n && out.size() < limit; v++) {
      if (df[v] == cut && db[v] == d - cut) {
        List<List<Hop>> heads = new ArrayList<>();
        collectBack(v, df, new ArrayDeque<>(), heads, limit);
        List<List<Hop>> tails = new ArrayList<>();
        collectForward(v, db, new ArrayDeque<>(), tails, limit);
        for (List<Hop> head : heads) {
          for (List<Hop> tail : tails) {
            if (out.size() < limit) {
              List<Hop> hops = new ArrayList<>(head);
              hops.addAll(tail);
              out.add(new Path(hops));
            }
          }
        }
      }
    }
    return out;
  }

  private static long cost(int[] frontier, int[] start) {
    long c = 0;
    for (int k : frontier) {
      c += start[k + 1] - start[k];
    }
    return c;
  }

  private int[] expandForward(int[] frontier, int[] dist, int level) {
    ValidityCalculator.IntList next = new ValidityCalculator.IntList();
    for (int k : frontier) {
      for (int e = g.outStart[k]; e < g.outStart[k + 1]; e++) {
        int t = g.net.uidKey[g.outUid[e]];
        if (dist[t] < 0) {
          dist[t] = level;
          next.add(t);
        }
      }
    }
    return Arrays.copyOf(next.items, next.size);
  }

  private int[] expandBackward(int[] frontier, int[] dist, int level) {
    ValidityCalculator.IntList next = new ValidityCalculator.IntList();
    for (int k : frontier) {
      for (int e = g.inStart[k]; e < g.inStart[k + 1]; e++) {
        int s = g.inIssuer[e];
        if (dist[s] < 0) {
          dist[s] = level;
          next.add(s);
        }
      }
    }
    return Arrays.copyOf(next.items, next.size);
  }

  /** Hop lists from the source to {@code k}, walking back along falling forward distance. */
  private void collectBack(int k, int[] df, ArrayDeque<Hop> suffix, List<List<Hop>> out,
      int limit) {
    if (df[k] == 0) {
      out.add(new ArrayList<>(suffix));
      return;
    }
    for (int e = g.inStart[k]; e < g.inStart[k + 1] && out.size() < limit; e++) {
      int signer = g.inIssuer[e];
      if (df[signer] == df[k] - 1) {
        suffix.addFirst(hop(signer, g.inCert[e]));
        collectBack(signer, df, suffix, out, limit);
        suffix.removeFirst();
      }
    }
  }

  /** Hop lists from {@code k} to the target, walking on along falling backward distance. */
  private void collectForward(int k, int[] db, ArrayDeque<Hop> prefix, List<List<Hop>> out,
      int limit) {
    if (db[k] == 0) {
      out.add(new ArrayList<>(prefix));
      return;
    }
    for (int e = g.outStart[k]; e < g.outStart[k + 1] && out.size() < limit; e++) {
      int target = g.net.uidKey[g.outUid[e]];
      if (db[target] == db[k] - 1) {
        prefix.addLast(hop(k, g.outCert[e]));
        collectForward(target, db, prefix, out, limit);
        prefix.removeLast();
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
