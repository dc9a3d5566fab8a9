package org.keyhaven.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.keyhaven.common.PkiException;

/**
 * Per-client token buckets for the endpoints that are levers for abuse: key upload, web-of-trust
 * evaluation, and login. Over the limit the client gets 429 with {@code Retry-After}. Buckets are
 * per node (in memory): behind a load balancer each node allows its own rate, which bounds the
 * total at nodes × rate — stated in docs/SECURITY.md.
 */
public final class RateLimits {
  /** A bucket size and refill rate. */
  public record Limit(String name, double perSecond, int burst) {}

  public static final Limit PKS_ADD = new Limit("pks-add", 50, 500);
  public static final Limit WOT = new Limit("wot", 200, 1000);
  public static final Limit LOGIN = new Limit("login", 1, 10);

  private static final int MAX_CLIENTS = 100_000;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimits(Clock clock) {
    this.clock = clock;
  }

  private static final class Bucket {
    double tokens;
    long lastNanos;
  }

  /** Registers the limits on their paths (before any handler runs). */
  public void register(RoutesConfig routes) {
    routes.before("/pks/add", ctx -> check(ctx, PKS_ADD));
    routes.before("/api/v1/wot/*", ctx -> check(ctx, WOT));
    routes.before("/api/wot/*", ctx -> check(ctx, WOT));
    routes.before("/admin/login", ctx -> {
      if (ctx.method() == io.javalin.http.HandlerType.POST) {
        check(ctx, LOGIN);
      }
    });
  }

  /** Takes one token for this client, or fails with RATE_LIMITED. */
  public void check(Context ctx, Limit limit) {
    if (!tryAcquire(ctx.ip() + "|" + limit.name(), limit)) {
      ctx.header("Retry-After", Long.toString(Math.max(1, Math.round(1 / limit.perSecond()))));
      throw PkiException.rateLimited("too many %s requests from this address; slow down", limit.name());
    }
  }

  boolean tryAcquire(String key, Limit limit) {
    if (buckets.size() > MAX_CLIENTS) {
      buckets.clear(); // crude but bounded: an address flood cannot exhaust memory
    }
    long now = clock.millis() * 1_000_000L;
    Bucket b = buckets.computeIfAbsent(key, k -> {
      Bucket nb = new Bucket();
      nb.tokens = limit.burst();
      nb.lastNanos = now;
      return nb;
    });
    synchronized (b) {
      double refill = (now - b.lastNanos) / 1e9 * limit.perSecond();
      b.tokens = Math.min(limit.burst(), b.tokens + refill);
      b.lastNanos = now;
      if (b.tokens >= 1) {
        b.tokens -= 1;
        return true;
      }
      return false;
    }
  }
}
