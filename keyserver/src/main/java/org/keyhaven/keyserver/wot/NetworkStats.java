package org.keyhaven.keyserver.wot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Shape of the certification graph at one time: keys, certifications that count, the largest
 * strongly connected set of keys (the "strong set") and how far the other keys lie from it.
 *
 * @param strongSetSize keys in the largest strongly connected component
 * @param reachableFromStrongSet keys outside the strong set that some member reaches
 * @param meanDistanceFromStrongSet mean shortest path length from the strong set to those keys
 * @param topCertifiers the keys that make the most certifications that count, most first
 */
public record NetworkStats(
    int keys,
    int userIds,
    int certifications,
    int effectiveCertifications,
    int strongSetSize,
    int reachableFromStrongSet,
    double meanDistanceFromStrongSet,
    List<Certifier> topCertifiers) {

  public NetworkStats {
    topCertifiers = List.copyOf(topCertifiers);
  }

  /** A key and how many certifications by it count. */
  public record Certifier(String fingerprint, int certifications) {}

  /** Computes the statistics of {@code g}, listing {@code top} most-certifying keys. */
  public static NetworkStats of(EffectiveGraph g, int top) {
    Network net = g.net;
    int n = net.keyCount();
    int[] component = StrongComponents.largest(g);
    boolean[] member = new boolean[n];
    int size = 0;
    for (int k : component) {
      member[k] = true;
      size++;
    }
    // multi-source breadth-first search from every member of the strong set
    int[] dist = new int[n];
    Arrays.fill(dist, -1);
    int[] queue = new int[n];
    int head = 0;
    int tail = 0;
    for (int k : component) {
      dist[k] = 0;
      queue[tail++] = k;
    }
    long sum = 0;
    int reached = 0;
    while (head < tail) {
      int k = queue[head++];
      for (int e = g.outStart[k]; e < g.outStart[k + 1]; e++) {
        int t = net.uidKey[g.outUid[e]];
        if (dist[t] < 0) {
          dist[t] = dist[k] + 1;
          queue[tail++] = t;
          sum += dist[t];
          reached++;
        }
      }
    }
    Integer[] order = new Integer[n];
    for (int k = 0; k < n; k++) {
      order[k] = k;
    }
    Comparator<Integer> byOut = Comparator.comparingInt(k -> g.outStart[k + 1] - g.outStart[k]);
    Arrays.sort(order, byOut.reversed().thenComparing(k -> net.fingerprint[k]));
    List<Certifier> certifiers = new ArrayList<>();
    for (int i = 0; i < Math.min(top, n); i++) {
      int k = order[i];
      int out = g.outStart[k + 1] - g.outStart[k];
      if (out > 0) {
        certifiers.add(new Certifier(net.fingerprint[k], out));
      }
    }
    return new NetworkStats(n, net.userIdCount(), net.certificationCount(), g.edgeCount(), size,
        reached, reached == 0 ? 0.0 : (double) sum / reached, certifiers);
  }
}
