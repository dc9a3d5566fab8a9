package org.keyhaven.keyserver.wot;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;

/**
 * The web-of-trust façade the server calls: evaluation from any caller's root, paths, one key's
 * report and graph statistics from the server's root. It caches the certification selection and
 * the server-root evaluation while they stay exact (same network snapshot, same root, and the
 * clock before the graph's next change), so read requests do not recompute.
 */
public final class WotService {

  /** Request-size limits (the HTTP layer also caps the body). */
  public static final int MAX_OWNER_TRUST = 10_000;

  public static final int MAX_KEYS = 10_000;
  public static final int MAX_PATH_HOPS = 10;
  public static final int MAX_PATHS = 50;

  private record Cache(Network network, EffectiveGraph graph, Map<String, OwnerTrust> roots,
      WotResult serverResult) {}

  private final Supplier<Network> network;
  private final TrustRootStore roots;
  private final AuditLog audit;
  private final Clock clock;
  private volatile Cache cache;
  private volatile Map<String, OwnerTrust> rootsCache;

  public WotService(Supplier<Network> network, TrustRootStore roots, AuditLog audit, Clock clock) {
    this.network = network;
    this.roots = roots;
    this.audit = audit;
    this.clock = clock;
  }

  /** Validity of the requested keys (or all) from the caller's owner-trust assignments. */
  public WotEvaluation evaluate(WotQuery query) {
    if (query.ownerTrust().size() > MAX_OWNER_TRUST) {
      throw PkiException.tooLarge("at most %d owner-trust assignments", MAX_OWNER_TRUST);
    }
    if (query.keys().size() > MAX_KEYS) {
      throw PkiException.tooLarge("at most %d keys per evaluation", MAX_KEYS);
    }
    Map<String, OwnerTrust> ownerTrust = normalize(query.ownerTrust());
    Instant now = clock.instant();
    WotParameters params = query.parameters(now);
    Cache c = current(now);
    EffectiveGraph g = c.graph.minCertLevel() == params.minCertLevel() && c.graph.covers(
        params.at()) ? c.graph : EffectiveGraph.of(c.network, params.at(), params.minCertLevel());
    WotResult result = ValidityCalculator.evaluate(g, ownerTrust, params);
    Map<String, KeyValidity> out = new LinkedHashMap<>();
    List<String> unknown = new ArrayList<>();
    if (query.keys().isEmpty()) {
      out.putAll(result.all());
    } else {
      for (String k : query.keys()) {
        String fpr = Fingerprints.normalize(k);
        result.key(fpr).ifPresentOrElse(v -> out.put(fpr, v), () -> unknown.add(fpr));
      }
    }
    return new WotEvaluation(params, out, unknown, result.depthStats());
  }

  /** Shortest certification paths between two keys (certifications that count now). */
  public List<Path> paths(String from, String to, int maxHops, int limit) {
    if (maxHops < 1 || maxHops > MAX_PATH_HOPS) {
      throw PkiException.malformed("max must be 1..%d, got %d", MAX_PATH_HOPS, maxHops);
    }
    if (limit < 1 || limit > MAX_PATHS) {
      throw PkiException.malformed("limit must be 1..%d, got %d", MAX_PATHS, limit);
    }
    String f = Fingerprints.normalize(from);
    String t = Fingerprints.normalize(to);
    Cache c = current(clock.instant());
    requireKey(c.network, f);
    requireKey(c.network, t);
    return new PathFinder(c.graph).shortestPaths(f, t, maxHops, limit);
  }

  /** One key from the server's root: validity, explanation and its certifications. */
  public KeyReport key(String fingerprint) {
    String fpr = Fingerprints.normalize(fingerprint);
    Cache c = current(clock.instant());
    requireKey(c.network, fpr);
    PathFinder finder = new PathFinder(c.graph);
    return new KeyReport(c.serverResult.key(fpr).orElseThrow(),
        c.serverResult.explain(fpr).orElseThrow(), finder.certificationsOn(fpr),
        finder.certificationsBy(fpr));
  }

  /**
   * A key's and its user IDs' validity from the server's root, without the explanation and
   * certification lists of {@link #key} (for recipient lookups); empty when the network does not
   * hold the key.
   */
  public java.util.Optional<KeyValidity> keyValidity(String fingerprint) {
    return current(clock.instant()).serverResult.key(fingerprint);
  }

  /** A key's validity from the server's root (UNKNOWN when not held), for index pages. */
  public Validity validity(String fingerprint) {
    return current(clock.instant()).serverResult.keyValidity(fingerprint);
  }

  /** Statistics of the network as it counts now. */
  public NetworkStats stats(int topCertifiers) {
    return NetworkStats.of(current(clock.instant()).graph, Math.max(0, Math.min(topCertifiers,
        100)));
  }

  /** The server-wide owner-trust assignments. */
  public Map<String, OwnerTrust> roots() {
    Map<String, OwnerTrust> r = rootsCache;
    if (r == null) {
      r = Map.copyOf(roots.load());
      rootsCache = r;
    }
    return r;
  }

  /** Replaces the server-wide trust root; audited (action {@code wot.roots.set}). */
  public void setRoots(Map<String, OwnerTrust> assignments, String actor) {
    if (assignments.size() > MAX_OWNER_TRUST) {
      throw PkiException.tooLarge("at most %d owner-trust assignments", MAX_OWNER_TRUST);
    }
    Map<String, OwnerTrust> normalized = normalize(assignments);
    long ultimate = normalized.values().stream().filter(t -> t == OwnerTrust.ULTIMATE).count();
    String detail = "assignments=" + normalized.size() + " ultimate=" + ultimate;
    try {
      roots.replace(normalized, actor);
    } catch (RuntimeException e) {
      audit.record(actor, "wot.roots.set", "wot-root", AuditLog.FAILURE, detail);
      throw e;
    }
    rootsCache = Map.copyOf(normalized);
    cache = null;
    audit.record(actor, "wot.roots.set", "wot-root", AuditLog.SUCCESS, detail);
  }

  private Cache current(Instant now) {
    Network net = network.get();
    Map<String, OwnerTrust> r = roots();
    Cache c = cache;
    if (c != null && c.network == net && c.roots == r && c.graph.covers(now)) {
      return c;
    }
    EffectiveGraph g = EffectiveGraph.of(net, now, 2);
    WotResult result = ValidityCalculator.evaluate(g, r, WotParameters.defaults(now));
    c = new Cache(net, g, r, result);
    cache = c;
    return c;
  }

  private static void requireKey(Network net, String fpr) {
    if (!net.contains(fpr)) {
      throw PkiException.notFound("no key %s in the web of trust", fpr);
    }
  }

  private static Map<String, OwnerTrust> normalize(Map<String, OwnerTrust> in) {
    Map<String, OwnerTrust> out = new LinkedHashMap<>();
    for (Map.Entry<String, OwnerTrust> e : in.entrySet()) {
      if (e.getValue() == null) {
        throw PkiException.malformed("owner trust for %s is missing", e.getKey());
      }
      out.put(Fingerprints.normalize(e.getKey()), e.getValue());
    }
    return out;
  }
}
