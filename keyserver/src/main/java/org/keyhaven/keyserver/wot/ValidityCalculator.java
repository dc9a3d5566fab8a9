package org.keyhaven.keyserver.wot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * GnuPG's classic/PGP validity computation (gpg 2.2, without trust signatures): ultimately trusted
 * keys are roots, and level by level the certifications of fully valid introducers are counted per
 * user ID by their owner trust. The rules, in our words, are in docs/WOT.md; this class follows
 * them step by step and is cross-checked against GnuPG itself by the oracle fixtures.
 */
public final class ValidityCalculator {

  private ValidityCalculator() {}

  /** Evaluates {@code network} from the owner-trust assignments with the given parameters. */
  public static WotResult evaluate(
      Network network, Map<String, OwnerTrust> ownerTrust, WotParameters params) {
    return evaluate(EffectiveGraph.of(network, params.at(), params.minCertLevel()), ownerTrust,
        params);
  }

  /** Evaluates a pre-selected graph; it must have been made for {@code params}' time and level. */
  public static WotResult evaluate(
      EffectiveGraph g, Map<String, OwnerTrust> ownerTrust, WotParameters params) {
    if (g.minCertLevel != params.minCertLevel() || !g.covers(params.at())) {
      throw new IllegalArgumentException("effective graph was made for other parameters");
    }
    Network net = g.net;
    int n = net.keyCount();
    int uids = net.userIdCount();
    OwnerTrust[] ot = new OwnerTrust[n];
    Arrays.fill(ot, OwnerTrust.UNKNOWN);
    for (Map.Entry<String, OwnerTrust> e : ownerTrust.entrySet()) {
      int k = net.indexOf(Fingerprints.normalize(e.getKey()));
      if (k >= 0 && e.getValue() != null) {
        ot[k] = e.getValue(); // assignments for keys we do not hold are ignored, as in GnuPG
      }
    }
    int completes = params.completesNeeded();
    int marginals = params.marginalsNeeded();
    byte[] uidVal = new byte[uids];
    boolean[] uidRecorded = new boolean[uids];
    int[] fullCount = new int[uids];
    int[] marginalCount = new int[uids];
    int[] uidStamp = filled(uids);
    int[] uidFullStamp = filled(uids);
    int[] keyStamp = filled(n);
    int[] keyFullStamp = filled(n);
    int[] introducerDepth = filled(n);
    boolean[] finished = new boolean[n];
    boolean[] used = new boolean[n];
    IntList introducers = new IntList();
    for (int k = 0; k < n; k++) {
      if (ot[k] == OwnerTrust.ULTIMATE) {
        // every ultimately trusted key is a root, even a revoked or expired one (which then
        // certifies nothing: the effective graph holds no edges of dead signers)
        introducers.add(k);
        used[k] = true;
        finished[k] = true;
        introducerDepth[k] = 0;
        for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
          uidVal[u] = (byte) Validity.ULTIMATE.ordinal();
          uidRecorded[u] = true;
        }
      }
      if (g.isDead(k)) {
        finished[k] = true;
      }
    }
    Contributions contributions = new Contributions();
    List<DepthStats> stats = new ArrayList<>();
    for (int depth = 0; depth < params.maxDepth(); depth++) {
      IntList touchedUids = new IntList();
      IntList touchedKeys = new IntList();
      // 1. count each introducer's certification on every user ID of an unfinished key
      for (int i = 0; i < introducers.size; i++) {
        int s = introducers.items[i];
        OwnerTrust trust = ot[s];
        for (int e = g.outStart[s]; e < g.outStart[s + 1]; e++) {
          int u = g.outUid[e];
          int k = net.uidKey[u];
          if (finished[k]) {
            continue;
          }
          if (uidStamp[u] != depth) {
            uidStamp[u] = depth;
            touchedUids.add(u);
            if (keyStamp[k] != depth) {
              keyStamp[k] = depth;
              touchedKeys.add(k);
            }
          }
          if (trust == OwnerTrust.ULTIMATE) {
            fullCount[u] = completes;
          } else if (trust == OwnerTrust.FULL) {
            fullCount[u]++;
          } else if (trust == OwnerTrust.MARGINAL) {
            marginalCount[u]++;
          }
          contributions.add(u, s, depth, g.outCert[e]);
        }
      }
      // 2. the counts (kept from earlier depths) decide each certified user ID's validity
      for (int i = 0; i < touchedUids.size; i++) {
        int u = touchedUids.items[i];
        Validity v;
        if (fullCount[u] >= completes || marginalCount[u] >= marginals) {
          v = Validity.FULL;
          uidFullStamp[u] = depth;
          keyFullStamp[net.uidKey[u]] = depth;
        } else if (fullCount[u] + marginalCount[u] > 0) {
          v = Validity.MARGINAL;
        } else {
          v = Validity.UNDEFINED;
        }
        uidVal[u] = (byte) v.ordinal();
        uidRecorded[u] = true;
      }
      // 3. keys with a user ID full now introduce at the next depth, once; keys whose every user
      //    ID (revoked ones included) is full now need no further look
      IntList next = new IntList();
      for (int i = 0; i < touchedKeys.size; i++) {
        int k = touchedKeys.items[i];
        boolean all = true;
        for (int u = net.uidStart[k]; u < net.uidStart[k + 1] && all; u++) {
          all = uidFullStamp[u] == depth;
        }
        if (all) {
          finished[k] = true;
        }
        if (keyFullStamp[k] == depth && !used[k]) {
          used[k] = true;
          introducerDepth[k] = depth + 1;
          next.add(k);
        }
      }
      stats.add(new DepthStats(depth, introducers.size, touchedKeys.size));
      introducers = next;
      if (next.size == 0) {
        break;
      }
    }
    byte[] keyVal = listKeys(g, uidVal, uidRecorded);
    listUserIds(g, keyVal, uidVal, uidRecorded);
    return new WotResult(g, params, ot, keyVal, uidVal, fullCount, marginalCount, introducerDepth,
        contributions, stats);
  }

  /** Key validity: revoked/expired, else the best recorded user-ID validity, else unknown. */
  private static byte[] listKeys(EffectiveGraph g, byte[] uidVal, boolean[] recorded) {
    Network net = g.net;
    byte[] keyVal = new byte[net.keyCount()];
    for (int k = 0; k < keyVal.length; k++) {
      Validity v;
      if (g.keyState[k] == EffectiveGraph.REVOKED) {
        v = Validity.REVOKED;
      } else if (g.keyState[k] == EffectiveGraph.EXPIRED) {
        v = Validity.EXPIRED;
      } else if (g.keyState[k] == EffectiveGraph.NOT_YET) {
        v = Validity.UNKNOWN;
      } else {
        int best = -1;
        for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
          if (recorded[u]) {
            best = Math.max(best, uidVal[u]);
          }
        }
        v = best < 0 ? Validity.UNKNOWN : Validity.values()[best];
      }
      keyVal[k] = (byte) v.ordinal();
    }
    return keyVal;
  }

  /** Rewrites {@code uidVal} in place into the listed per-user-ID validity. */
  private static void listUserIds(
      EffectiveGraph g, byte[] keyVal, byte[] uidVal, boolean[] recorded) {
    Network net = g.net;
    for (int k = 0; k < keyVal.length; k++) {
      Validity kv = Validity.values()[keyVal[k]];
      for (int u = net.uidStart[k]; u < net.uidStart[k + 1]; u++) {
        Validity v;
        if (net.uidRevoked[u] <= g.at) {
          v = Validity.REVOKED;
        } else if (net.uidExpires[u] <= g.at) {
          v = Validity.EXPIRED;
        } else if (kv == Validity.ULTIMATE || kv == Validity.REVOKED || kv == Validity.EXPIRED) {
          v = kv; // GnuPG lists every live user ID of an ultimate key as ultimate
        } else if (kv == Validity.UNKNOWN && g.keyState[k] == EffectiveGraph.NOT_YET) {
          v = Validity.UNKNOWN;
        } else {
          v = recorded[u] ? Validity.values()[uidVal[u]] : Validity.UNKNOWN;
        }
        uidVal[u] = (byte) v.ordinal();
      }
    }
  }

  private static int[] filled(int size) {
    int[] a = new int[size];
    Arrays.fill(a, -1);
    return a;
  }

  /** A growable int array (avoids boxing on the hot path). */
  static final class IntList {
    int[] items = new int[16];
    int size;

    void add(int v) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = v;
    }
  }

  /** Counted certifications: (user ID, signer, depth, certification index) quadruples. */
  static final class Contributions {
    final IntList uid = new IntList();
    final IntList signer = new IntList();
    final IntList depth = new IntList();
    final IntList cert = new IntList();

    void add(int u, int s, int d, int c) {
      uid.add(u);
      signer.add(s);
      depth.add(d);
      cert.add(c);
    }
  }
}
