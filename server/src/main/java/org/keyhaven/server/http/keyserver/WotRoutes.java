package org.keyhaven.server.http.keyserver;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.wot.DepthStats;
import org.keyhaven.keyserver.wot.Explanation;
import org.keyhaven.keyserver.wot.Hop;
import org.keyhaven.keyserver.wot.KeyReport;
import org.keyhaven.keyserver.wot.KeyValidity;
import org.keyhaven.keyserver.wot.OwnerTrust;
import org.keyhaven.keyserver.wot.Path;
import org.keyhaven.keyserver.wot.WotEvaluation;
import org.keyhaven.keyserver.wot.WotQuery;
import org.keyhaven.keyserver.wot.WotService;
import org.keyhaven.server.auth.Actor;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.http.JsonBodies;
import org.keyhaven.server.http.RouteGroup;

/**
 * Web-of-trust REST API (issue 7, docs/WOT.md): public evaluation from the caller's own root,
 * paths, one key and statistics from the server's root; the server's root is read by auditors and
 * set by administrators (audited). Validity words are lower case ({@code full}, {@code unknown} …).
 */
public final class WotRoutes implements RouteGroup {

  private final WotService wot;

  public WotRoutes(WotService wot) {
    this.wot = wot;
  }

  /** Body of {@code POST /api/v1/wot/evaluate}; everything but {@code ownertrust} is optional. */
  public record EvaluateBody(
      Map<String, String> ownertrust,
      Integer completesNeeded,
      Integer marginalsNeeded,
      Integer maxDepth,
      Integer minCertLevel,
      String at,
      List<String> keys) {}

  /** Body of {@code POST /api/v1/wot/roots}. */
  public record RootsBody(Map<String, String> ownertrust) {}

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/wot/evaluate", this::evaluate);
    routes.get("/api/v1/wot/paths", this::paths);
    routes.get("/api/v1/wot/keys/{fpr}", this::key);
    routes.get("/api/v1/wot/stats", this::stats);
    routes.get("/api/v1/wot/roots", this::roots, Role.AUDITOR);
    routes.post("/api/v1/wot/roots", this::setRoots, Role.ADMIN);
  }

  private void evaluate(Context ctx) {
    EvaluateBody b = JsonBodies.read(ctx, EvaluateBody.class);
    if (b.ownertrust() == null) {
      throw PkiException.malformed("'ownertrust' is required: {\"<FPR>\": \"ultimate\", …}");
    }
    WotEvaluation e = wot.evaluate(new WotQuery(ownerTrust(b.ownertrust()), b.completesNeeded(),
        b.marginalsNeeded(), b.maxDepth(), b.minCertLevel(), instant(b.at()), b.keys()));
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("completesNeeded", e.parameters().completesNeeded());
    params.put("marginalsNeeded", e.parameters().marginalsNeeded());
    params.put("maxDepth", e.parameters().maxDepth());
    params.put("minCertLevel", e.parameters().minCertLevel());
    params.put("at", e.parameters().at().toString());
    Map<String, Object> keys = new LinkedHashMap<>();
    e.keys().forEach((fpr, kv) -> keys.put(fpr, key(kv)));
    List<Map<String, Object>> depths = new ArrayList<>();
    for (DepthStats d : e.depthStats()) {
      depths.add(map("depth", d.depth(), "valid", d.valid(), "signed", d.signed()));
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("parameters", params);
    out.put("keys", keys);
    out.put("unknownKeys", e.unknownKeys());
    out.put("depths", depths);
    ctx.json(out);
  }

  private void paths(Context ctx) {
    String from = required(ctx, "from");
    String to = required(ctx, "to");
    int max = intParam(ctx, "max", 5);
    int limit = intParam(ctx, "limit", 10);
    List<Map<String, Object>> paths = new ArrayList<>();
    for (Path p : wot.paths(from, to, max, limit)) {
      paths.add(path(p));
    }
    ctx.json(map("from", from.toUpperCase(), "to", to.toUpperCase(), "max", max, "paths", paths));
  }

  private void key(Context ctx) {
    KeyReport r = wot.key(ctx.pathParam("fpr"));
    Map<String, Object> out = key(r.validity());
    out.put("fingerprint", r.validity().fingerprint());
    Explanation x = r.explanation();
    List<Map<String, Object>> uids = new ArrayList<>();
    for (Explanation.UserIdExplanation u : x.userIds()) {
      List<Map<String, Object>> contributions = new ArrayList<>();
      for (Explanation.Contribution c : u.contributions()) {
        contributions.add(map("signer", c.signer(), "signerTrust", c.signerTrust().word(),
            "depth", c.depth(), "certified", c.certified().toString()));
      }
      uids.add(map("uid", u.userId(), "validity", u.validity().word(), "fullCount",
          u.fullCount(), "marginalCount", u.marginalCount(), "counted", contributions));
    }
    List<Map<String, Object>> paths = new ArrayList<>();
    x.paths().forEach(p -> paths.add(path(p)));
    out.put("introducerDepth", x.introducerDepth() < 0 ? null : x.introducerDepth());
    out.put("explanation", map("userIds", uids, "pathsFromRoots", paths));
    out.put("certifiedBy", hops(r.certifiedBy()));
    out.put("certifies", hops(r.certifies()));
    ctx.json(out);
  }

  private void stats(Context ctx) {
    ctx.json(wot.stats(intParam(ctx, "top", 10)));
  }

  private void roots(Context ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    wot.roots().forEach((fpr, t) -> out.put(fpr, t.word()));
    ctx.json(map("ownertrust", out));
  }

  private void setRoots(Context ctx) {
    RootsBody b = JsonBodies.read(ctx, RootsBody.class);
    if (b.ownertrust() == null) {
      throw PkiException.malformed("'ownertrust' is required");
    }
    wot.setRoots(ownerTrust(b.ownertrust()), Actor.of(ctx).name());
    roots(ctx);
  }

  // ---- rendering and parsing helpers

  private static Map<String, Object> key(KeyValidity kv) {
    List<Map<String, Object>> uids = new ArrayList<>();
    for (KeyValidity.UserIdValidity u : kv.userIds()) {
      uids.add(map("uid", u.userId(), "validity", u.validity().word()));
    }
    return map("validity", kv.validity().word(), "ownerTrust", kv.ownerTrust().word(),
        "userIds", uids);
  }

  private static Map<String, Object> path(Path p) {
    return map("length", p.length(), "hops", hops(p.hops()));
  }

  private static List<Map<String, Object>> hops(List<Hop> hops) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Hop h : hops) {
      out.add(map("signer", h.signer(), "target", h.target(), "userId", h.userId(),
          "certified", h.certified().toString()));
    }
    return out;
  }

  private static Map<String, OwnerTrust> ownerTrust(Map<String, String> in) {
    if (in.size() > WotService.MAX_OWNER_TRUST) {
      throw PkiException.tooLarge("at most %d owner-trust assignments", WotService.MAX_OWNER_TRUST);
    }
    Map<String, OwnerTrust> out = new LinkedHashMap<>();
    in.forEach((fpr, word) -> out.put(fpr, OwnerTrust.parse(word)));
    return out;
  }

  private static Instant instant(String text) {
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw PkiException.malformed("'at' must be an RFC 3339 date-time, got '%s'",
          text.length() > 40 ? text.substring(0, 40) + "…" : text);
    }
  }

  private static String required(Context ctx, String name) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      throw PkiException.malformed("query parameter '%s' (a fingerprint) is required", name);
    }
    return v;
  }

  private static int intParam(Context ctx, String name, int dflt) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw PkiException.malformed("query parameter '%s' must be a whole number", name);
    }
  }

  private static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
