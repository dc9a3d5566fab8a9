package org.keyhaven.server.http.revocation;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.keyhaven.server.http.FastPath;
import org.keyhaven.ca.ocsp.OcspAnswer;
import org.keyhaven.ca.ocsp.OcspErrors;
import org.keyhaven.ca.ocsp.OcspRequestDecoder;
import org.keyhaven.ca.ocsp.OcspResponder;
import org.keyhaven.server.http.RouteGroup;

/**
 * {@code POST /ocsp} and {@code GET /ocsp/{base64 request}} (RFC 6960 Appendix A.1, RFC 5019
 * §5). The GET path is read from the raw URI so that {@code %2F}, {@code %2B}, {@code %3D} and a
 * raw {@code /} or {@code +} all decode to the same base64 (the path-param decoder would turn
 * {@code +} into a space). Every answer is an OCSPResponse; only transport problems are HTTP
 * errors.
 */
public final class OcspRoutes implements RouteGroup {
  static final String RESPONSE_TYPE = "application/ocsp-response";
  private final OcspResponder responder;
  private final Clock clock;

  public OcspRoutes(OcspResponder responder, Clock clock) {
    this.responder = responder;
    this.clock = clock;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/ocsp", this::post);
    routes.post("/ocsp/", this::post);
    routes.get("/ocsp/<request>", this::get);
  }

  private void post(Context ctx) {
    String type = ctx.contentType();
    if (type == null || !type.toLowerCase(java.util.Locale.ROOT)
        .startsWith("application/ocsp-request")) {
      ctx.status(415).result("Content-Type must be application/ocsp-request");
      return;
    }
    byte[] body = ctx.bodyAsBytes();
    if (body.length > OcspRequestDecoder.MAX_BYTES) {
      ctx.status(413).result("OCSP request too large");
      return;
    }
    // RFC 5019 §5: POST responses are not cacheable by intermediaries.
    write(ctx, responder.respond(body), false);
  }

  private void get(Context ctx) {
    String uri = ctx.req().getRequestURI();
    int at = uri.indexOf("/ocsp/");
    String encoded = at < 0 ? "" : uri.substring(at + "/ocsp/".length());
    if (encoded.length() > OcspRequestDecoder.MAX_BYTES * 2) {
      ctx.status(414).result("OCSP request URI too long");
      return;
    }
    byte[] der;
    try {
      der = Base64.getDecoder().decode(percentDecode(encoded));
    } catch (IllegalArgumentException e) {
      write(ctx, OcspErrors.Status.MALFORMED_REQUEST.answer(), false);
      return;
    }
    write(ctx, responder.respond(der, encoded), true);
  }

  /**
   * For {@link FastPath}: a GET whose exact path was answered before from a pre-signed response
   * that is still current gets the same bytes and headers without entering the pipeline.
   */
  public FastPath.Answer fastGet(org.eclipse.jetty.server.Request request) {
    String path = request.getHttpURI().getPath();
    String encoded = path.substring(path.indexOf("/ocsp/") + "/ocsp/".length());
    OcspAnswer a = responder.cachedForRawRequest(encoded);
    if (a == null) {
      return null;
    }
    Prepared p = prepared.get(encoded);
    if (p == null || p.answer != a) {
      if (prepared.size() >= MAX_PREPARED) {
        prepared.clear();
      }
      p = new Prepared(a);
      prepared.put(encoded, p);
    }
    long maxAge = Math.max(0, Duration.between(clock.instant(), a.nextUpdate().get()).getSeconds());
    return new FastPath.Answer(200, List.of(CONTENT_TYPE, new HttpField(HttpHeader.CACHE_CONTROL,
        "max-age=" + maxAge + ", public, no-transform, must-revalidate"), p.lastModified,
        p.expires, p.etag), p.body);
  }

  /**
   * For {@link FastPath}: a POST body of the right type and size, answered exactly as
   * {@link #post} would (including malformedRequest for garbage); not cacheable (RFC 5019 §5).
   */
  public FastPath.Answer fastPost(byte[] body) {
    return new FastPath.Answer(200, List.of(CONTENT_TYPE, NO_STORE),
        ByteBuffer.wrap(responder.respond(body).der().toByteArray()));
  }

  private static final HttpField NO_STORE =
      new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-store");
  private static final int MAX_PREPARED = 500_000;
  private static final HttpField CONTENT_TYPE =
      new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, RESPONSE_TYPE);
  private final Map<String, Prepared> prepared = new ConcurrentHashMap<>();

  /** An answer's bytes and fixed headers, made once for the fast path. */
  private static final class Prepared {
    final OcspAnswer answer;
    final ByteBuffer body;
    final HttpField lastModified;
    final HttpField expires;
    final HttpField etag;

    Prepared(OcspAnswer a) {
      this.answer = a;
      this.body = ByteBuffer.wrap(a.der().toByteArray()).asReadOnlyBuffer();
      this.lastModified = new PreEncodedHttpField(HttpHeader.LAST_MODIFIED,
          HttpDates.format(a.thisUpdate().get()));
      this.expires = new PreEncodedHttpField(HttpHeader.EXPIRES,
          HttpDates.format(a.nextUpdate().get()));
      this.etag = new PreEncodedHttpField(HttpHeader.ETAG, a.etag());
    }
  }

  /** RFC 3986 percent-decoding only: '+' stays '+', as base64 needs. */
  static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("truncated escape");
        }
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  private void write(Context ctx, OcspAnswer a, boolean cacheable) {
    ctx.contentType(RESPONSE_TYPE);
    if (a.successful() && cacheable) {
      // RFC 5019 §6.2: max-age up to nextUpdate; Last-Modified = thisUpdate; Expires = nextUpdate.
      Instant now = clock.instant();
      long maxAge = Math.max(0, Duration.between(now, a.nextUpdate().get()).getSeconds());
      ctx.header("Cache-Control", "max-age=" + maxAge + ", public, no-transform, must-revalidate");
      ctx.header("Last-Modified", HttpDates.format(a.thisUpdate().get()));
      ctx.header("Expires", HttpDates.format(a.nextUpdate().get()));
      String etag = a.etag();
      ctx.header("ETag", etag);
      if (HttpDates.notModified(ctx, etag)) {
        return;
      }
    } else {
      ctx.header("Cache-Control", "no-store");
    }
    ctx.result(a.der().toByteArray());
  }
}
