package org.keyhaven.server.http.keyserver;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.KeyLookup;
import org.keyhaven.keyserver.KeySubmission;
import org.keyhaven.keyserver.StoredKeyring;
import org.keyhaven.keyserver.SubmissionResult;
import org.keyhaven.keyserver.hkp.HkpHtmlWriter;
import org.keyhaven.keyserver.hkp.HkpIndexWriter;
import org.keyhaven.keyserver.hkp.HkpOp;
import org.keyhaven.keyserver.hkp.HkpRequest;
import org.keyhaven.keyserver.hkp.HkpRequestParser;
import org.keyhaven.server.http.RouteGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HKP as GnuPG's dirmngr speaks it (docs/KEYSERVER.md): {@code GET /pks/lookup} and
 * {@code POST /pks/add}. Public routes, registrable on the main port and on the HKP port (11371).
 * Errors are answered here as text/plain with a reason, never as problem+json.
 */
public final class HkpRoutes implements RouteGroup {
  private static final Logger LOG = LoggerFactory.getLogger(HkpRoutes.class);
  static final String PGP_KEYS = "application/pgp-keys";
  static final String TEXT = "text/plain; charset=utf-8";
  static final String HTML = "text/html; charset=utf-8";

  private final KeyLookup lookup;
  private final KeySubmission submission;
  private final Clock clock;
  private final String software;
  private final HkpResponseCache cache;
  private java.util.function.Function<String, String> validity = fpr -> null;

  /** Shows web-of-trust validity (from the server's root) in the human-readable index. */
  public HkpRoutes withValidity(java.util.function.Function<String, String> validity) {
    this.validity = validity;
    return this;
  }

  public HkpRoutes(KeyLookup lookup, KeySubmission submission, Clock clock, String software) {
    this(lookup, submission, clock, software, new HkpResponseCache());
  }

  public HkpRoutes(KeyLookup lookup, KeySubmission submission, Clock clock, String software,
      HkpResponseCache cache) {
    this.lookup = lookup;
    this.submission = submission;
    this.clock = clock;
    this.software = software;
    this.cache = cache;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/pks/lookup", this::cachedLookup);
    routes.post("/pks/add", ctx -> answer(ctx, this::add));
  }

  private interface Handler {
    void handle(Context ctx);
  }

  /**
   * Lookups are answered from {@link HkpResponseCache} when the same query string was answered
   * since the last key change; otherwise computed, written and (2xx and 404 only) remembered.
   * Index answers say whether a key has expired, so an answer is kept at most a minute.
   */
  private void cachedLookup(Context ctx) {
    String query = ctx.queryString() == null ? "" : ctx.queryString();
    HkpResponseCache.Answer hit = cache.get(query, clock.millis());
    if (hit == null) {
      long generation = cache.generation();
      answer(ctx, this::lookup);
      int status = ctx.statusCode();
      if (status == 200 || status == 404) {
        String body = ctx.result();
        hit = new HkpResponseCache.Answer(status, ctx.res().getContentType(),
            body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8),
            ctx.res().getHeader("X-HKP-Results-Count"), ctx.res().getHeader("Content-Disposition"),
            clock.millis());
        cache.put(query, generation, hit);
      }
      return;
    }
    ctx.header("Access-Control-Allow-Origin", "*");
    ctx.header("Cache-Control", "no-cache");
    if (hit.resultsCount() != null) {
      ctx.header("X-HKP-Results-Count", hit.resultsCount());
    }
    if (hit.disposition() != null) {
      ctx.header("Content-Disposition", hit.disposition());
    }
    ctx.status(hit.status()).contentType(hit.contentType()).result(hit.body());
  }

  /**
   * For {@link org.keyhaven.server.http.FastPath}: a lookup whose exact query string is in the
   * response cache gets the cached bytes and the same headers without entering the pipeline.
   */
  public org.keyhaven.server.http.FastPath.Answer fastLookup(
      org.eclipse.jetty.server.Request request) {
    String query = request.getHttpURI().getQuery();
    HkpResponseCache.Answer hit = cache.get(query == null ? "" : query, clock.millis());
    return hit == null ? null : hit.fast();
  }

  /** Runs a handler; every failure becomes a text/plain HKP answer with a reason. */
  private static void answer(Context ctx, Handler h) {
    // SKS sends these on every answer; browsers and JS clients rely on the CORS header.
    ctx.header("Access-Control-Allow-Origin", "*");
    ctx.header("Cache-Control", "no-cache");
    try {
      h.handle(ctx);
    } catch (PkiException e) {
      if (e.kind() == ErrorKind.INTERNAL) {
        LOG.error("HKP request failed: {} {}", ctx.method(), ctx.path(), e);
        ctx.status(500).contentType(TEXT).result("Internal error\n");
      } else {
        ctx.status(status(e.kind())).contentType(TEXT).result(e.detail() + "\n");
      }
    }
  }

  /** HKP status codes (STYLE.md 2.6 table; 501 for deliberately unsupported operations). */
  static int status(ErrorKind kind) {
    return switch (kind) {
      case MALFORMED -> 400;
      case UNSUPPORTED -> 501;
      case NOT_FOUND -> 404;
      case UNAUTHENTICATED, FORBIDDEN -> 403;
      case POLICY_VIOLATION -> 422;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case RATE_LIMITED -> 429;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  private void lookup(Context ctx) {
    HkpRequest req = HkpRequestParser.parse(ctx.queryParamMap());
    if (req.op() == HkpOp.STATS) {
      long n = lookup.count();
      if (req.machineReadable()) {
        ctx.contentType(TEXT).result("software:" + software + "\nkeys:" + n + "\n");
      } else {
        ctx.contentType(HTML).result(HkpHtmlWriter.stats(n, software));
      }
      return;
    }
    List<StoredKeyring> keys = lookup.find(req.query());
    String search = ctx.queryParam("search");
    if (keys.isEmpty()) {
      throw PkiException.notFound("No keys found for '%s'", clip(search));
    }
    ctx.header("X-HKP-Results-Count", Integer.toString(keys.size()));
    if (req.op() == HkpOp.GET || req.op() == HkpOp.HGET) {
      String armored = lookup.armored(keys);
      if (req.machineReadable()) {
        ctx.header("Content-Disposition", "attachment; filename=gpgkey.asc");
        ctx.contentType(PGP_KEYS).result(armored);
      } else {
        ctx.contentType(HTML).result(HkpHtmlWriter.armoredKeys(search, armored));
      }
    } else if (req.machineReadable()) {
      // SKS: vindex with mr is the same as index with mr.
      ctx.contentType(TEXT).result(HkpIndexWriter.write(keys, clock.instant()));
    } else {
      // SKS's hash=on: each key's SKS hash, the op=hget search value.
      boolean hashes = "on".equalsIgnoreCase(ctx.queryParam("hash"));
      ctx.contentType(HTML).result(HkpHtmlWriter.index(search, keys, clock.instant(), validity,
          hashes ? lookup::sksHash : null));
    }
  }

  private void add(Context ctx) {
    byte[] keytext = uploadBytes(ctx);
    SubmissionResult r = submission.submit(keytext);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "added %d, updated %d, unchanged %d, rejected %d%n",
        r.count(SubmissionResult.Status.ADDED), r.count(SubmissionResult.Status.UPDATED),
        r.count(SubmissionResult.Status.UNCHANGED), r.count(SubmissionResult.Status.REJECTED)));
    ErrorKind firstRejection = null;
    for (SubmissionResult.KeyOutcome o : r.outcomes()) {
      sb.append(o.status().name().toLowerCase(Locale.ROOT)).append(' ')
          .append(o.fingerprint() == null ? "-" : o.fingerprint().upperHex()).append(' ')
          .append(o.detail()).append('\n');
      if (firstRejection == null && o.reason() != null) {
        firstRejection = o.reason();
      }
    }
    int status = r.anyAccepted() || firstRejection == null ? 200 : status(firstRejection);
    ctx.status(status).contentType(TEXT).result(sb.toString());
  }

  /** The {@code keytext} form field (HKP draft §4), or a raw application/pgp-keys body. */
  private static byte[] uploadBytes(Context ctx) {
    String type = ctx.contentType() == null ? "" : ctx.contentType().toLowerCase(Locale.ROOT);
    byte[] body;
    try {
      body = ctx.bodyAsBytes();
    } catch (RuntimeException e) {
      throw PkiException.tooLarge("upload is larger than the server's request limit");
    }
    if (type.startsWith("application/pgp-keys") || type.startsWith("application/octet-stream")) {
      return body;
    }
    String keytext = FormBody.field(new String(body, StandardCharsets.ISO_8859_1), "keytext");
    if (keytext == null || keytext.isBlank()) {
      throw PkiException.malformed("missing form field keytext (an ASCII-armored public key)");
    }
    return keytext.getBytes(StandardCharsets.UTF_8);
  }

  private static String clip(String s) {
    if (s == null) {
      return "";
    }
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
