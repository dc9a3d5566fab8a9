package org.keyhaven.keyserver.wot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.keyhaven.keyserver.wot.NetworkDsl.NOW;
import static org.keyhaven.keyserver.wot.NetworkDsl.fpr;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Paths over a diamond: A certifies B and C, both certify D, D certifies E; F is disconnected and
 * R (revoked) certified E but no longer counts.
 */
class PathFinderTest {

  private static PathFinder finder() {
    NetworkDsl n = new NetworkDsl();
    for (String k : List.of("A", "B", "C", "D", "E", "F")) {
      n.key(k);
    }
    n.node(new Node(fpr("R"), NetworkDsl.T0, null, NetworkDsl.T1, true,
        List.of(UserIdState.of("R"))), null);
    n.cert("A", "B").cert("A", "C").cert("B", "D").cert("C", "D").cert("D", "E").cert("R", "E");
    n.cert("A", "R");
    return new PathFinder(EffectiveGraph.of(n.builder.build(), NOW, 2));
  }

  @Test
  void shortestPaths_returnsEveryShortestPathInOrder() {
    List<Path> paths = finder().shortestPaths(fpr("A"), fpr("E"), 5, 10);
    assertThat(paths).hasSize(2);
    assertThat(paths).allSatisfy(p -> {
      assertThat(p.length()).isEqualTo(3);
      assertThat(p.root()).isEqualTo(fpr("A"));
      assertThat(p.target()).isEqualTo(fpr("E"));
      assertThat(p.hops().get(2).userId()).isEqualTo("E");
    });
    assertThat(paths).extracting(p -> p.hops().get(1).signer())
        .containsExactlyInAnyOrder(fpr("B"), fpr("C"));
  }

  @Test
  void shortestPaths_respectsLimitAndMaxHops() {
    assertThat(finder().shortestPaths(fpr("A"), fpr("E"), 5, 1)).hasSize(1);
    assertThat(finder().shortestPaths(fpr("A"), fpr("E"), 2, 10)).isEmpty();
  }

  @Test
  void shortestPaths_noPathOrUnknownKey_isEmpty() {
    assertThat(finder().shortestPaths(fpr("E"), fpr("A"), 5, 10)).isEmpty();
    assertThat(finder().shortestPaths(fpr("A"), fpr("F"), 5, 10)).isEmpty();
    assertThat(finder().shortestPaths(fpr("A"), fpr("nobody"), 5, 10)).isEmpty();
  }

  @Test
  void certifications_revokedSignerDoesNotCount() {
    PathFinder f = finder();
    assertThat(f.certificationsOn(fpr("E"))).extracting(Hop::signer).containsExactly(fpr("D"));
    assertThat(f.certificationsBy(fpr("A"))).extracting(Hop::target)
        .containsExactlyInAnyOrder(fpr("B"), fpr("C"), fpr("R"));
  }

  @Test
  void stats_findStrongSetAndDistances() {
    NetworkDsl n = new NetworkDsl();
    for (String k : List.of("A", "B", "C", "D", "E")) {
      n.key(k);
    }
    n.cert("A", "B").cert("B", "C").cert("C", "A").cert("C", "D").cert("D", "E");
    NetworkStats s = NetworkStats.of(EffectiveGraph.of(n.builder.build(), NOW, 2), 2);
    assertThat(s.keys()).isEqualTo(5);
    assertThat(s.effectiveCertifications()).isEqualTo(5);
    assertThat(s.strongSetSize()).isEqualTo(3);
    assertThat(s.reachableFromStrongSet()).isEqualTo(2);
    assertThat(s.meanDistanceFromStrongSet()).isEqualTo(1.5);
    assertThat(s.topCertifiers()).first().isEqualTo(new NetworkStats.Certifier(fpr("C"), 2));
  }

  @Test
  void shortestPaths_bidirectionalSearch_equalsPlainBreadthFirstSearch() {
    java.util.Random rnd = new java.util.Random(3);
    NetworkDsl n = new NetworkDsl();
    int keys = 400;
    for (int i = 0; i < keys; i++) {
      n.key("k" + i, null, "k" + i, "k" + i + "b");
    }
    for (int c = 0; c < keys * 3; c++) {
      int t = rnd.nextInt(keys);
      int s = rnd.nextDouble() < 0.7 && t > 0 ? Math.max(0, t - 1 - rnd.nextInt(10))
          : rnd.nextInt(keys);
      if (s != t) {
        n.cert("k" + s, "k" + t, rnd.nextBoolean() ? "k" + t : "k" + t + "b");
      }
    }
    EffectiveGraph g = EffectiveGraph.of(n.builder.build(), NOW, 2);
    PathFinder f = new PathFinder(g);
    int connected = 0;
    for (int q = 0; q < 300; q++) {
      int a = rnd.nextInt(keys);
      int b = rnd.nextInt(keys);
      int max = 1 + rnd.nextInt(6);
      java.util.Set<String> fast = new java.util.HashSet<>();
      f.shortestPaths(fpr("k" + a), fpr("k" + b), max, 100_000).forEach(p -> fast.add(p.hops()
          .toString()));
      java.util.Set<String> plain = plainPaths(g, a, b, max);
      assertThat(fast).as("k%d -> k%d within %d", a, b, max).isEqualTo(plain);
      connected += plain.isEmpty() ? 0 : 1;
    }
    assertThat(connected).isGreaterThan(50);
  }

  /** Forward breadth-first search from a, then every shortest path back from b. */
  private static java.util.Set<String> plainPaths(EffectiveGraph g, int a, int b, int max) {
    Network net = g.net;
    java.util.Set<String> out = new java.util.HashSet<>();
    if (a == b) {
      return out;
    }
    int[] dist = new int[net.keyCount()];
    java.util.Arrays.fill(dist, -1);
    dist[a] = 0;
    java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>(List.of(a));
    while (!queue.isEmpty()) {
      int k = queue.poll();
      for (int e = g.outStart[k]; e < g.outStart[k + 1]; e++) {
        int t = net.uidKey[g.outUid[e]];
        if (dist[t] < 0) {
          dist[t] = dist[k] + 1;
          queue.add(t);
        }
      }
    }
    if (dist[b] < 0 || dist[b] > max) {
      return out;
    }
    back(g, b, dist, new java.util.ArrayDeque<>(), out);
    return out;
  }

  private static void back(EffectiveGraph g, int k, int[] dist, java.util.ArrayDeque<Hop> suffix,
      java.util.Set<String> out) {
    if (dist[k] == 0) {
      out.add(new java.util.ArrayList<>(suffix).toString());
      return;
    }
    Network net = g.net;
    for (int e = g.inStart[k]; e < g.inStart[k + 1]; e++) {
      int s = g.inIssuer[e];
      if (dist[s] == dist[k] - 1) {
        int c = g.inCert[e];
        int u = net.certUid[c];
        suffix.addFirst(new Hop(net.fingerprint[s], net.fingerprint[net.uidKey[u]],
            net.uidText[u], java.time.Instant.ofEpochMilli(net.certCreated[c])));
        back(g, s, dist, suffix, out);
        suffix.removeFirst();
      }
    }
  }
}
