package org.keyhaven.server.http.recipients;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.keyhaven.keyserver.KeyLookup;
import org.keyhaven.keyserver.KeyQuery;
import org.keyhaven.keyserver.StoredKeyring;
import org.keyhaven.recipients.Wkd;
import org.keyhaven.server.http.RouteGroup;

/**
 * OpenPGP Web Key Directory for the mail domains this server hosts: the direct method
 * ({@code /.well-known/openpgpkey/hu/<hash>}, domain from the Host header, else the first mail
 * domain) and the advanced method ({@code /.well-known/openpgpkey/<domain>/hu/<hash>}), each with
 * its {@code policy} file. Keys are binary, first-party material only, and only keys that have a
 * valid (unrevoked, unexpired) user ID at that address.
 */
public final class WkdRoutes implements RouteGroup {
  private final KeyLookup keys;
  private final List<String> domains;
  private final Clock clock;

  public WkdRoutes(KeyLookup keys, List<String> domains, Clock clock) {
    this.keys = keys;
    this.domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/.well-known/openpgpkey/policy", ctx -> policy(ctx, directDomain(ctx)));
    routes.get("/.well-known/openpgpkey/hu/{hash}", ctx -> key(ctx, directDomain(ctx)));
    routes.get("/.well-known/openpgpkey/{domain}/policy", ctx -> policy(ctx, ctx.pathParam("domain")));
    routes.get("/.well-known/openpgpkey/{domain}/hu/{hash}", ctx -> key(ctx, ctx.pathParam("domain")));
  }

  private String directDomain(Context ctx) {
    String host = ctx.host();
    if (host != null) {
      String h = host.replaceAll(":\\d+$", "").toLowerCase(Locale.ROOT);
      if (domains.contains(h)) {
        return h;
      }
    }
    return domains.get(0);
  }

  private void policy(Context ctx, String domain) {
    if (!domains.contains(domain.toLowerCase(Locale.ROOT))) {
      ctx.status(404).contentType("text/plain").result("This server hosts no Web Key Directory for " + domain);
      return;
    }
    ctx.contentType("text/plain").header("Access-Control-Allow-Origin", "*").result("");
  }

  private void key(Context ctx, String domain) {
    domain = domain.toLowerCase(Locale.ROOT);
    String hash = ctx.pathParam("hash").toLowerCase(Locale.ROOT);
    String local = ctx.queryParam("l");
    if (!domains.contains(domain) || !hash.matches("[ybndrfg8ejkmcpqxot1uwisza345h769]{32}")) {
      notFound(ctx);
      return;
    }
    List<StoredKeyring> found;
    if (local != null && !local.isEmpty()) {
      if (!Wkd.hash(local).equals(hash)) {
        notFound(ctx);
        return;
      }
      found = keys.find(new KeyQuery.ByEmail(local + "@" + domain));
    } else {
      // Without ?l= (older clients) fall back to the domain's keys, bounded by the search limit.
      found = keys.find(new KeyQuery.ByUserId("@" + domain, false));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String dom = domain;
    for (StoredKeyring k : found) {
      var idx = k.index();
      boolean match = !idx.revoked() && !idx.expiredAt(clock.instant()) && idx.userIds().stream().anyMatch(u ->
          !u.attribute() && !u.revoked() && u.email() != null && u.email().endsWith("@" + dom)
              && Wkd.hash(u.email().substring(0, u.email().lastIndexOf('@'))).equals(hash));
      if (match) {
        out.writeBytes(k.firstParty().toByteArray());
      }
    }
    if (out.size() == 0) {
      notFound(ctx);
      return;
    }
    ctx.contentType("application/octet-stream").header("Access-Control-Allow-Origin", "*").result(out.toByteArray());
  }

  private static void notFound(Context ctx) {
    ctx.status(404).contentType("text/plain").result("No key for that address in this Web Key Directory");
  }
}
