package org.keyhaven.keyserver.wot;

import java.time.Instant;

/**
 * The certifications of a {@link Network} that count at one evaluation time: for each (user ID,
 * signer) at most one edge, chosen by GnuPG's rules (docs/WOT.md, "Which certification counts").
 * It is exact for every instant in {@code [at, validUntil)}, so callers may cache it.
 */
public final class EffectiveGraph {

  static final byte LIVE = 0;
  static final byte REVOKED = 1;
  static final byte EXPIRED = 2;
  static final byte NOT_YET = 3;

  final Network net;
  final long at;
  final int minCertLevel;
  final byte[] keyState;
  final boolean[] uidLive;
  final int[] outStart; // edges by issuer key
  final int[] outUid;
  final int[] outCert;
  final int[] inStart; // the same edges by target key
  final int[] inIssuer;
  final int[] inCert;
  private final long validUntil;

  private EffectiveGraph(Network net, long at, int minCertLevel) {
    this.net = net;
    this.at = at;
    this.minCertLevel = minCertLevel;
    int keys = net.keyCount();
    long next = Network.NEVER;
    keyState = new byte[keys];
    for (int k = 0; k < keys; k++) {
      next = nextAfter(next, net.keyCreated[k], net.keyRevoked[k], net.keyExpires[k]);
      if (net.keyCreated[k] > at) {
        keyState[k] = NOT_YET;
      } else if (net.keyRevoked[k] <= at) {
        keyState[k] = REVOKED;
      } else if (net.keyExpires[k] <= at) {
        keyState[k] = EXPIRED;
      }
    }
    int uids = net.userIdCount();
    uidLive = new boolean[uids];
    for (int u = 0; u < uids; u++) {
      next = nextAfter(next, net.uidRevoked[u], net.uidExpires[u], Network.NEVER);
      uidLive[u] = net.uidRevoked[u] > at && net.uidExpires[u] > at;
    }
    int groups = net.groupStart.length - 1;
    int[] edgeIssuer = new int[groups];
    int[] edgeCert = new int[groups];
    int edges = 0;
    for (int g = 0; g < groups; g++) {
      int from = net.groupStart[g];
      int to = net.groupStart[g + 1];
      for (int c = from; c < to; c++) {
        next = nextAfter(next, net.certCreated[c], net.certExpires[c], Network.NEVER);
      }
      int chosen = choose(from, to);
      if (chosen >= 0) {
        edgeIssuer[edges] = net.certIssuer[chosen];
        edgeCert[edges++] = chosen;
      }
    }
    this.validUntil = next;
    outStart = new int[keys + 1];
    inStart = new int[keys + 1];
    for (int e = 0; e < edges; e++) {
      outStart[edgeIssuer[e] + 1]++;
      inStart[net.uidKey[net.certUid[edgeCert[e]]] + 1]++;
    }
    for (int k = 0; k < keys; k++) {
      outStart[k + 1] += outStart[k];
      inStart[k + 1] += inStart[k];
    }
    outUid = new int[edges];
    outCert = new int[edges];
    inIssuer = new int[edges];
    inCert = new int[edges];
    int[] outFill = outStart.clone();
    int[] inFill = inStart.clone();
    for (int e = 0; e < edges; e++) {
      int c = edgeCert[e];
      int o = outFill[edgeIssuer[e]]++;
      outUid[o] = net.certUid[c];
      outCert[o] = c;
      int i = inFill[net.uidKey[net.certUid[c]]]++;
      inIssuer[i] = edgeIssuer[e];
      inCert[i] = c;
    }
  }

  /** Selects the certifications that count in {@code network} at {@code at}. */
  public static EffectiveGraph of(Network network, Instant at, int minCertLevel) {
    return new EffectiveGraph(network, at.toEpochMilli(), minCertLevel);
  }

  /**
   * The certification of one (user ID, signer) group that counts, or -1. The signer must be usable
   * now; only the newest signature counts, with no fallback to an older certification when the
   * newest has expired or is a revocation, except that a revocation cannot undo an unexpired
   * non-revocable certification (RFC 4880 §5.2.3.12). Levels below the minimum are dropped after
   * the choice, so a newer low-level certification hides an older high-level one.
   */
  private int choose(int from, int to) {
    int u = net.certUid[from];
    int s = net.certIssuer[from];
    int t = net.uidKey[u];
    if (!uidLive[u] || keyState[s] != LIVE || !net.canCertify[s]) {
      return -1;
    }
    int latest = -1;
    int latestIrrevocable = -1;
    for (int c = from; c < to; c++) {
      long created = net.certCreated[c];
      // not yet made; or older than the certified key or the signer (a time conflict)
      if (created > at || created < net.keyCreated[t] || created < net.keyCreated[s]) {
        continue;
      }
      latest = c;
      boolean revocation = (net.certFlags[c] & Network.FLAG_REVOCATION) != 0;
      if (!revocation
          && (net.certFlags[c] & Network.FLAG_NON_REVOCABLE) != 0
          && net.certExpires[c] > at) {
        latestIrrevocable = c;
      }
    }
    if (latest < 0) {
      return -1;
    }
    int chosen;
    if ((net.certFlags[latest] & Network.FLAG_REVOCATION) != 0) {
      chosen = latestIrrevocable;
    } else {
      chosen = net.certExpires[latest] > at ? latest : -1;
    }
    if (chosen >= 0) {
      int level = net.certLevel[chosen];
      if (level >= 1 && level < minCertLevel) {
        return -1;
      }
    }
    return chosen;
  }

  private long nextAfter(long next, long a, long b, long c) {
    if (a > at && a < next) {
      next = a;
    }
    if (b > at && b < next) {
      next = b;
    }
    if (c > at && c < next) {
      next = c;
    }
    return next;
  }

  public Network network() {
    return net;
  }

  public Instant at() {
    return Instant.ofEpochMilli(at);
  }

  public int minCertLevel() {
    return minCertLevel;
  }

  /** The first instant after {@link #at()} at which a key, user ID or certification changes. */
  public Instant validUntil() {
    return validUntil == Network.NEVER ? Instant.MAX : Instant.ofEpochMilli(validUntil);
  }

  /** Whether this graph is also exact for {@code other} (same inputs in force). */
  public boolean covers(Instant other) {
    long t = other.toEpochMilli();
    return t >= at && t < validUntil;
  }

  /** Number of certifications that count. */
  public int edgeCount() {
    return outUid.length;
  }

  boolean isDead(int k) {
    return keyState[k] != LIVE;
  }
}
