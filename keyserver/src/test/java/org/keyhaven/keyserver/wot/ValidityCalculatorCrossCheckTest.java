package org.keyhaven.keyserver.wot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.keyhaven.keyserver.wot.NetworkDsl.NOW;
import static org.keyhaven.keyserver.wot.NetworkDsl.T0;
import static org.keyhaven.keyserver.wot.NetworkDsl.fpr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The optimised, edge-driven {@link ValidityCalculator} against a deliberately plain per-key
 * formulation of the same rules (the shape of the oracle's Python model: for each depth, for
 * each key, for each user ID, collect the introducers) on random networks with revoked and
 * expired keys, revoked user IDs and several user IDs per key, under several parameter sets.
 */
class ValidityCalculatorCrossCheckTest {

  static Stream<Arguments> cases() {
    int[][] params = {{1, 3, 5}, {2, 2, 3}, {1, 2, 8}, {3, 4, 2}};
    return IntStream.range(0, 24).mapToObj(i -> Arguments.of(i, params[i % params.length]));
  }

  @ParameterizedTest(name = "seed {0}, C/M/D {1}")
  @MethodSource("cases")
  void optimisedCalculator_equalsPlainModel(int seed, int[] cmd) {
    Random rnd = new Random(seed);
    int n = 150 + rnd.nextInt(150);
    NetworkDsl dsl = new NetworkDsl();
    OwnerTrust[] trusts = OwnerTrust.values();
    for (int i = 0; i < n; i++) {
      List<UserIdState> ids = new ArrayList<>();
      int uids = 1 + (rnd.nextDouble() < 0.25 ? 1 + rnd.nextInt(2) : 0);
      for (int u = 0; u < uids; u++) {
        ids.add(new UserIdState("k" + i + "-" + u, u > 0 && rnd.nextDouble() < 0.2 ? T0 : null,
            null));
      }
      double r = rnd.nextDouble();
      Node node = new Node(fpr("k" + i), T0, r < 0.03 ? T0.plusSeconds(5) : null,
          r > 0.97 ? T0.plusSeconds(5) : null, true, ids);
      OwnerTrust t = i % 40 == 0 ? OwnerTrust.ULTIMATE : trusts[rnd.nextInt(trusts.length - 1)];
      dsl.node(node, t);
    }
    int certs = n * (2 + rnd.nextInt(5));
    for (int c = 0; c < certs; c++) {
      int t = rnd.nextInt(n);
      int s = rnd.nextDouble() < 0.7 && t > 0 ? Math.max(0, t - 1 - rnd.nextInt(12))
          : rnd.nextInt(n);
      int uids = rnd.nextDouble() < 0.25 ? 3 : 1;
      dsl.cert("k" + s, "k" + t, "k" + t + "-" + rnd.nextInt(uids));
    }
    WotParameters p = new WotParameters(cmd[0], cmd[1], cmd[2], 2, NOW);
    Network net = dsl.builder.build();
    WotResult fast = ValidityCalculator.evaluate(net, dsl.ownerTrust, p);
    Map<String, Validity> plain = plainModel(EffectiveGraph.of(net, NOW, 2), dsl.ownerTrust, p);
    // the networks are rich enough to exercise every computed outcome
    assertThat(fast.histogram()).containsKeys(Validity.ULTIMATE, Validity.FULL, Validity.UNKNOWN,
        Validity.REVOKED, Validity.EXPIRED);
    assertThat(fast.depthStats().size()).isGreaterThan(1);
    for (String f : net.fingerprints()) {
      KeyValidity kv = fast.key(f).orElseThrow();
      assertThat(kv.validity()).as("key %s", f).isEqualTo(plain.get(f));
      for (KeyValidity.UserIdValidity u : kv.userIds()) {
        assertThat(u.validity()).as("uid %s", u.userId()).isEqualTo(plain.get(u.userId()));
      }
    }
  }

  /** Returns validity by fingerprint (keys) and by user-ID text (user IDs). */
  private static Map<String, Validity> plainModel(
      EffectiveGraph g, Map<String, OwnerTrust> ot, WotParameters p) {
    Network net = g.net;
    int n = net.keyCount();
    Map<Integer, List<Integer>> signersOf = new HashMap<>(); // user ID -> signers
    for (int s = 0; s < n; s++) {
      for (int e = g.outStart[s]; e < g.outStart[s + 1]; e++) {
        signersOf.computeIfAbsent(g.outUid[e], x -> new ArrayList<>()).add(s);
      }
    }
    OwnerTrust[] trust = new OwnerTrust[n];
    Set<Integer> skip = new HashSet<>();
    Set<Integer> used = new HashSet<>();
    Map<Integer, OwnerTrust> introducers = new HashMap<>();
    Map<Integer, int[]> rec = new HashMap<>(); // uid -> {validity ordinal, full, marginal}
    for (int k = 0; k < n; k++) {
      trust[k] = ot.getOrDefault(net.fingerprint[k], OwnerTrust.UNKNOWN);
      if (trust[k] == OwnerTrust.ULTIMATE) {
        skip.add(k);
        used.add(k);
        introducers.put(k, trust[k]);
        for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
          rec.put(u, new int[] {Validity.ULTIMATE.ordinal(), 0, 0});
        }
      }
      if (g.isDead(k)) {
        skip.add(k);
      }
    }
    for (int depth = 0; depth < p.maxDepth(); depth++) {
      Map<Integer, Set<Integer>> signed = new java.util.LinkedHashMap<>();
      for (int k = 0; k < n; k++) {
        if (skip.contains(k)) {
          continue;
        }
        boolean any = false;
        Set<Integer> full = new LinkedHashSet<>();
        for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
          if (!g.uidLive[u]) {
            continue;
          }
          List<Integer> signers = new ArrayList<>();
          for (int s : signersOf.getOrDefault(u, List.of())) {
            if (introducers.containsKey(s)) {
              signers.add(s);
            }
          }
          if (signers.isEmpty()) {
            continue;
          }
          int[] r = rec.getOrDefault(u, new int[] {0, 0, 0});
          for (int s : signers) {
            switch (introducers.get(s)) {
              case ULTIMATE -> r[1] = p.completesNeeded();
              case FULL -> r[1]++;
              case MARGINAL -> r[2]++;
              default -> { }
            }
          }
          if (r[1] >= p.completesNeeded() || r[2] >= p.marginalsNeeded()) {
            r[0] = Validity.FULL.ordinal();
            full.add(u);
          } else if (r[1] + r[2] > 0) {
            r[0] = Validity.MARGINAL.ordinal();
          } else {
            r[0] = Validity.UNDEFINED.ordinal();
          }
          rec.put(u, r);
          any = true;
        }
        if (any) {
          signed.put(k, full);
          if (full.size() == net.uidStart[k + 1] - net.uidStart[k]) {
            skip.add(k);
          }
        }
      }
      introducers = new HashMap<>();
      for (Map.Entry<Integer, Set<Integer>> e : signed.entrySet()) {
        if (!e.getValue().isEmpty() && used.add(e.getKey())) {
          introducers.put(e.getKey(), trust[e.getKey()]);
        }
      }
      if (introducers.isEmpty()) {
        break;
      }
    }
    Map<String, Validity> out = new HashMap<>();
    for (int k = 0; k < n; k++) {
      Validity kv;
      if (g.keyState[k] == EffectiveGraph.REVOKED) {
        kv = Validity.REVOKED;
      } else if (g.keyState[k] == EffectiveGraph.EXPIRED) {
        kv = Validity.EXPIRED;
      } else {
        int best = -1;
        for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
          if (rec.containsKey(u)) {
            best = Math.max(best, rec.get(u)[0]);
          }
        }
        kv = best < 0 ? Validity.UNKNOWN : Validity.values()[best];
      }
      out.put(net.fingerprint[k], kv);
      for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
        Validity uv;
        if (net.uidRevoked[u] <= g.at) {
          uv = Validity.REVOKED;
        } else if (kv == Validity.ULTIMATE || kv == Validity.REVOKED || kv == Validity.EXPIRED) {
          uv = kv;
        } else {
          uv = rec.containsKey(u) ? Validity.values()[rec.get(u)[0]] : Validity.UNKNOWN;
        }
        out.put(net.uidText[u], uv);
      }
    }
    return out;
  }
}
