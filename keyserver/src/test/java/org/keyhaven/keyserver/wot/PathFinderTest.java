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
}
