package org.keyhaven.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.keyhaven.server.TestServer;
import org.keyhaven.server.http.EndpointCatalog;

/**
 * Sends mutated requests to every public route of the running server (read from its router) and
 * requires that none answers 5xx and that the server stays healthy. CI sends a few hundred per
 * route; {@code -Dkeyhaven.mutation.perRoute=100000} (bench/reliability/http-mutation.sh) is the
 * long run. {@code keyhaven.mutation.threads} clients (default 4) share one keep-alive HTTP/1.1
 * client; each has its own generator seeded from the seed, the route and its number, so a run is
 * reproducible for the same seed and thread count.
 */
class HttpMutationTest {
  static final int PER_ROUTE = Integer.getInteger("keyhaven.mutation.perRoute", 300);
  static final long SEED = Long.getLong("keyhaven.mutation.seed", 20261124L);
  static final int THREADS = Integer.getInteger("keyhaven.mutation.threads", 4);

  static final String[] NASTY = {
    "", "%", "%zz", "%00", "%ff%fe", "..%2f..%2f", "0x", "0xZZ", "<script>", "'\"", "a".repeat(3000),
    "-1", "99999999999999999999999", "%F0%9F%94%91", "*", "(|(mail=*))", "\\", "/", "//", "%2F",
    "MEIwQDA+MDwwOjAJBgUrDgMCGgUABBQ", "0123456789abcdef0123456789abcdef01234567",
  };
  static final String[] CONTENT_TYPES = {
    "application/json", "application/x-www-form-urlencoded", "application/ocsp-request",
    "text/plain", "multipart/form-data; boundary=x", "application/pkcs10", "", "garbage/\u0001",
  };

  @Test
  void publicRoutes_neverAnswer5xxToMutatedRequests() throws Exception {
    try (TestServer srv = TestServer.start()) {
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5)).build();
      List<EndpointCatalog.Route> routes = new ArrayList<>();
      for (EndpointCatalog.Route r : EndpointCatalog.routes(srv.server.app())) {
        if (r.roles().isEmpty() && !r.path().startsWith("/test/")) {
          routes.add(r);
        }
      }
      assertThat(routes).isNotEmpty();
      ConcurrentHashMap<String, Integer> fiveHundreds = new ConcurrentHashMap<>();
      AtomicLong sent = new AtomicLong();
      AtomicLong slow = new AtomicLong();
      AtomicLong limited = new AtomicLong();
      AtomicLong slowestMs = new AtomicLong();
      long t0 = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        for (int ri = 0; ri < routes.size(); ri++) {
          EndpointCatalog.Route r = routes.get(ri);
          List<Future<?>> workers = new ArrayList<>();
          for (int w = 0; w < THREADS; w++) {
            int count = PER_ROUTE / THREADS + (w < PER_ROUTE % THREADS ? 1 : 0);
            Random rnd = new Random(SEED ^ (ri * 1_000_003L + w));
            workers.add(pool.submit(() -> {
              for (int i = 0; i < count; i++) {
                HttpRequest req = mutate(srv.base, r, rnd);
                HttpResponse<byte[]> resp;
                long s0 = System.nanoTime();
                try {
                  resp = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                } catch (java.io.IOException e) {
                  // the client refusing to send an illegal request is fine; the server never saw it
                  continue;
                }
                long ms = (System.nanoTime() - s0) / 1_000_000;
                slowestMs.accumulateAndGet(ms, Math::max);
                if (ms > 2_000) {
                  slow.incrementAndGet();
                }
                sent.incrementAndGet();
                if (resp.statusCode() == 429) {
                  limited.incrementAndGet();
                }
                if (resp.statusCode() >= 500) {
                  fiveHundreds.merge(r.method() + " " + r.path() + " <- " + req.uri().getRawPath()
                      + (req.uri().getRawQuery() == null ? "" : "?" + abbreviate(req.uri().getRawQuery())), 1, Integer::sum);
                }
              }
              return null;
            }));
          }
          for (Future<?> f : workers) {
            f.get();
          }
        }
      } finally {
        pool.shutdownNow();
      }
      long secs = Math.max(1, (System.nanoTime() - t0) / 1_000_000_000L);
      System.out.printf("http-mutation: %d requests to %d public routes, %d distinct 5xx; "
              + "%d threads, %d s, %d requests/s; %d answers over 2 s, slowest %d ms; %d rate-limited "
              + "(429)%n",
          sent.get(), routes.size(), fiveHundreds.size(), THREADS, secs, sent.get() / secs,
          slow.get(), slowestMs.get(), limited.get());
      assertThat(new TreeMap<>(fiveHundreds).entrySet().stream().limit(15).toList())
          .as("5xx answers (first 15 of %d)", fiveHundreds.size()).isEmpty();
      assertThat(srv.get("/health", null).statusCode()).isEqualTo(200);
    }
  }

  static String abbreviate(String s) {
    return s.length() > 120 ? s.substring(0, 120) + "…" : s;
  }

  static HttpRequest mutate(String base, EndpointCatalog.Route r, Random rnd) {
    String path = r.path();
    StringBuilder p = new StringBuilder();
    for (String seg : path.split("/", -1)) {
      if (p.length() > 0 || path.startsWith("/")) {
        p.append('/');
      }
      if (seg.startsWith("{") || seg.startsWith("<") || seg.contains("{")) {
        p.append(seg.replaceAll("\\{[^}]+}|<[^>]+>", java.util.regex.Matcher.quoteReplacement(nasty(rnd))));
      } else {
        p.append(seg);
      }
    }
    String rawPath = p.toString().replaceAll("^/+", "/");
    StringBuilder q = new StringBuilder();
    int params = rnd.nextInt(5);
    for (int i = 0; i < params; i++) {
      if (i > 0) {
        q.append('&');
      }
      String[] names = {"op", "search", "options", "exact", "fingerprint", "email", "serial", "format",
          "all", "limit", "after", "userid", "root", "l", "x"};
      q.append(names[rnd.nextInt(names.length)]).append('=').append(nasty(rnd));
    }
    URI uri;
    try {
      uri = URI.create(base + rawPath + (q.length() > 0 ? "?" + q : ""));
    } catch (IllegalArgumentException e) {
      uri = URI.create(base + r.path().replaceAll("\\{[^}]+}|<[^>]+>", "x"));
    }
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
    String method = rnd.nextInt(10) == 0 ? (rnd.nextBoolean() ? "POST" : "GET") : r.method();
    if (method.equals("GET") || method.equals("DELETE")) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      byte[] body = body(rnd);
      String ct = CONTENT_TYPES[rnd.nextInt(CONTENT_TYPES.length)];
      try {
        if (!ct.isEmpty()) {
          b.header("Content-Type", ct);
        }
      } catch (IllegalArgumentException e) {
        // header value the client refuses: send without
      }
      b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    }
    return b.build();
  }

  static String nasty(Random rnd) {
    if (rnd.nextInt(4) == 0) {
      byte[] b = new byte[rnd.nextInt(40)];
      rnd.nextBytes(b);
      StringBuilder sb = new StringBuilder();
      for (byte x : b) {
        sb.append('%').append(String.format("%02X", x & 0xff));
      }
      return sb.toString();
    }
    return NASTY[rnd.nextInt(NASTY.length)];
  }

  static byte[] body(Random rnd) {
    switch (rnd.nextInt(6)) {
      case 0:
        return new byte[0];
      case 1: {
        byte[] b = new byte[rnd.nextInt(4096)];
        rnd.nextBytes(b);
        return b;
      }
      case 2:
        return ("{\"" + nasty(rnd) + "\":" + (rnd.nextBoolean() ? "[" : "{\"a\":") + nasty(rnd).length() + "}")
            .getBytes(StandardCharsets.UTF_8);
      case 3:
        return ("keytext=" + nasty(rnd) + "&csrf=" + nasty(rnd)).getBytes(StandardCharsets.UTF_8);
      case 4:
        return ("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n" + "mQINBF".repeat(rnd.nextInt(50)) + "\n-----END PGP PUBLIC KEY BLOCK-----\n")
            .getBytes(StandardCharsets.UTF_8);
      default:
        return ("{\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----\\nMIIB" + nasty(rnd) + "\\n-----END CERTIFICATE REQUEST-----\",\"profile\":\"smime-sign\"}")
            .getBytes(StandardCharsets.UTF_8);
    }
  }
}
