package org.keyhaven.server.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Answers that are already finished bytes (a pre-signed OCSP response, a cached HKP key) are
 * written straight from Jetty, in front of the servlet and Javalin pipeline: a map lookup and a
 * write, as close to a static file server as the JVM gets. Anything the fast path does not hold
 * exactly — another method, a conditional or range request, a miss — goes down the normal
 * pipeline unchanged, which computes the answer and fills the cache that the next request hits.
 *
 * <p>Only public, unauthenticated routes register here; the answers are the very bytes and
 * headers the normal route would send (the same cache feeds both). Hits are counted in the
 * Prometheus metrics under the route's template.
 *
 * <p>A POST route ({@link #registerPost}) is different: it has no cache to miss. A small body of
 * the registered content type with a declared length is read here and answered here; anything
 * else (no Content-Length, too long, another type) takes the normal pipeline, which gives the
 * proper 4xx. The decision is made before the body is read, so nothing is read twice.
 *
 * <p>It also holds the request body limit ({@link #limitBodies}), for every route: a declared
 * Content-Length over the limit is refused with 413 here, before anything reads the body, so
 * an oversized upload (a 17 MiB flooded OpenPGP key) costs the server a header parse and a
 * bounded discard, never a buffer of the body; a body without a declared length (chunked) is
 * counted while it is read and fails at the limit (Jetty's {@link SizeLimitHandler}).
 */
public final class FastPath extends Handler.Wrapper {

  /**
   * A finished answer. {@code headers} are sent as they are (pre-encoded where possible); a
   * Content-Length among them must match {@code body}, otherwise one is added.
   */
  public record Answer(int status, List<HttpField> headers, ByteBuffer body) {}

  /**
   * Looks a request up; null means "not here, take the normal path". Runs on a selector thread:
   * it must not block (in-memory lookups only, never the database or a file).
   */
  @FunctionalInterface
  public interface Lookup {
    Answer find(Request request);
  }

  /** Answers a POST body (never null: a POST route answers everything it accepts). */
  @FunctionalInterface
  public interface BodyAnswer {
    Answer answer(byte[] body);
  }

  private record Route(String path, boolean prefix, String connector, String template,
      Lookup lookup, Map<Integer, Timer> timers, Counter hits) {}

  private record PostRoute(String path, String connector, String contentType, int maxBytes,
      String template, BodyAnswer answer, Map<Integer, Timer> timers, Counter hits) {}

  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final List<PostRoute> postRoutes = new CopyOnWriteArrayList<>();
  private final MeterRegistry metrics;
  private final AtomicInteger inFlight;
  private volatile long maxBody = -1;
  private volatile Handler streamLimit;

  public FastPath(MeterRegistry metrics, AtomicInteger inFlight) {
    this.metrics = metrics;
    this.inFlight = inFlight;
  }

  /** Refuses request bodies over {@code bytes} for every route (see the class comment). */
  public void limitBodies(long bytes) {
    SizeLimitHandler limit = new SizeLimitHandler(bytes, -1);
    limit.setHandler(new Handler.Abstract() {
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        return FastPath.super.handle(request, response, callback);
      }
    });
    this.streamLimit = limit;
    this.maxBody = bytes;
  }

  /**
   * 413 for a declared length over the limit, in the format of the route family: problem details
   * under /api/, plain text elsewhere (HKP clients show the text). {@code Connection: close}: the
   * unwanted body is not kept for another request, only drained for a bounded time after the
   * answer ({@link Drain}).
   */
  private static void refuseTooLarge(Request request, Response response, Callback callback,
      long limit) {
    String path = request.getHttpURI().getPath();
    String type;
    String body;
    if (path.startsWith("/api/")) {
      type = Problems.CONTENT_TYPE;
      body = "{\"type\":\"about:blank\",\"title\":\"Request too large\",\"status\":413,"
          + "\"detail\":\"request body is larger than the limit of " + limit + " bytes\"}";
    } else if (path.startsWith("/pks/")) {
      type = "text/plain; charset=utf-8";
      body = "upload is larger than the server's request limit (" + limit + " bytes)\n";
    } else {
      type = "text/plain; charset=utf-8";
      body = "request body is larger than the limit of " + limit + " bytes\n";
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(413);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
    response.getHeaders().put(HttpHeader.CONNECTION, "close");
    response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
    long declared = request.getLength();
    response.write(true, ByteBuffer.wrap(bytes), Callback.from(
        () -> new Drain(request, callback, declared).start(), callback::failed));
  }

  /** The most of a refused body {@link Drain} reads before it gives up and closes anyway. */
  static final long DRAIN_MAX_BYTES = 64L << 20;
  /** The longest {@link Drain} waits for a refused body. */
  static final long DRAIN_MAX_MILLIS = 3_000;

  /**
   * A lingering close. After the 413 is written (Jetty shuts our side of the connection after
   * it), the rest of the refused body is read and thrown away before the connection closes. A
   * close with unread data in the socket makes the kernel send RST instead of FIN, and a client
   * still sending its body (gpg's dirmngr, Java's HttpClient) then loses the 413 that is already
   * on its way and reports a reset connection instead. Discarding costs no heap (each chunk is
   * released at once) and is bounded in bytes and time; past either bound the connection is
   * closed regardless, and a client that sends more than that gets the reset.
   */
  private static final class Drain implements Runnable {
    private final Request request;
    private final Callback callback;
    private final AtomicBoolean done = new AtomicBoolean();
    private long left;
    /** The time bound; cancelled when the body ends first, so it holds no request for long. */
    private volatile Scheduler.Task timeout;

    Drain(Request request, Callback callback, long declared) {
      this.request = request;
      this.callback = callback;
      this.left = Math.min(declared, DRAIN_MAX_BYTES);
    }

    void start() {
      timeout = request.getComponents().getScheduler()
          .schedule(this::finish, DRAIN_MAX_MILLIS, TimeUnit.MILLISECONDS);
      run();
    }

    @Override
    public void run() {
      while (!done.get()) {
        Content.Chunk chunk = request.read();
        if (chunk == null) {
          request.demand(this);
          return;
        }
        boolean stop = Content.Chunk.isFailure(chunk) || chunk.isLast();
        left -= chunk.remaining();
        chunk.release();
        if (stop || left <= 0) {
          finish();
          return;
        }
      }
    }

    private void finish() {
      if (done.compareAndSet(false, true)) {
        Scheduler.Task t = timeout;
        if (t != null) {
          t.cancel();
        }
        callback.succeeded();
      }
    }
  }

  /**
   * Serves GETs of {@code path} (or below it, if it ends in '/') on the named connector (null:
   * any) from {@code lookup}; {@code template} names the route in the metrics.
   */
  public void register(String path, String connector, String template, Lookup lookup) {
    routes.add(new Route(path, path.endsWith("/"), connector, template, lookup,
        new ConcurrentHashMap<>(), Counter.builder("keyhaven_fast_path_hits")
            .description("Requests answered by FastPath, before the servlet pipeline")
            .tag("route", template).register(metrics)));
  }

  /**
   * Answers POSTs to exactly {@code path} on the named connector (null: any) whose Content-Type
   * starts with {@code contentType} and whose Content-Length is at most {@code maxBytes}, from
   * {@code answer}.
   */
  public void registerPost(String path, String connector, String contentType, int maxBytes,
      String template, BodyAnswer answer) {
    postRoutes.add(new PostRoute(path, connector, contentType, maxBytes, template, answer,
        new ConcurrentHashMap<>(), Counter.builder("keyhaven_fast_path_hits")
            .description("Requests answered by FastPath, before the servlet pipeline")
            .tag("route", template).register(metrics)));
  }

  /**
   * Non-blocking: Jetty may then call {@link #handle} on the selector thread that read the
   * request head, with no hand-off to a pool thread. Only two things are done right there, both
   * without blocking: a cached GET answer is written (a map lookup and a non-blocking write, as a
   * static file server does), and a declared body over the limit is refused (a short 413 written
   * without blocking, then {@link Drain} discards the body with {@code read()}/{@code demand()}).
   * Everything else — a miss, HEAD, a POST, a chunked body counted by {@link SizeLimitHandler},
   * the servlet and Javalin pipeline — is handed to the server's thread pool, so nothing that can
   * block ever runs on a selector.
   */
  @Override
  public InvocationType getInvocationType() {
    return InvocationType.NON_BLOCKING;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    long limit = maxBody;
    if (limit >= 0 && request.getLength() > limit) {
      refuseTooLarge(request, response, callback, limit);
      return true;
    }
    if (HttpMethod.GET.is(request.getMethod()) && answerCached(request, response, callback)) {
      return true;
    }
    getServer().getThreadPool().execute(() -> {
      try {
        if (!handleBlocking(request, response, callback)) {
          Response.writeError(request, response, callback, 404);
        }
      } catch (Throwable t) {
        Response.writeError(request, response, callback, t);
      }
    });
    return true;
  }

  /** Everything but a cached GET and a declared oversized body, on a pool thread (may block). */
  private boolean handleBlocking(Request request, Response response, Callback callback)
      throws Exception {
    if (maxBody >= 0 && request.getLength() < 0 && !HttpMethod.GET.is(request.getMethod())
        && !HttpMethod.HEAD.is(request.getMethod())) {
      // No declared length (chunked): count the body as it is read.
      return streamLimit.handle(request, response, callback);
    }
    if (HttpMethod.POST.is(request.getMethod()) && !postRoutes.isEmpty()) {
      return handlePost(request, response, callback) || super.handle(request, response, callback);
    }
    return super.handle(request, response, callback);
  }

  /**
   * A cached answer for a plain GET (no body, not conditional, not a range), written without
   * blocking; false when there is none. Runs on a selector thread.
   */
  private boolean answerCached(Request request, Response response, Callback callback) {
    if (routes.isEmpty() || request.getLength() > 0
        || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)
        || request.getHeaders().contains(HttpHeader.IF_NONE_MATCH)
        || request.getHeaders().contains(HttpHeader.IF_MODIFIED_SINCE)
        || request.getHeaders().contains(HttpHeader.RANGE)) {
      return false;
    }
    String path = request.getHttpURI().getPath();
    for (Route r : routes) {
      if (!(r.prefix ? path.startsWith(r.path) : path.equals(r.path))) {
        continue;
      }
      if (r.connector != null
          && !r.connector.equals(request.getConnectionMetaData().getConnector().getName())) {
        return false;
      }
      long start = System.nanoTime();
      Answer a;
      try {
        a = r.lookup.find(request);
      } catch (RuntimeException e) {
        // Whatever a lookup trips over (a malformed path, say), the pipeline answers properly,
        // on a pool thread; error handling has no business on the selector.
        return false;
      }
      if (a == null) {
        return false;
      }
      inFlight.incrementAndGet();
      try {
        write(a, response, callback);
      } finally {
        inFlight.decrementAndGet();
      }
      record(r.timers, "GET", r.template, a.status, start);
      r.hits.increment();
      return true;
    }
    return false;
  }

  private boolean handlePost(Request request, Response response, Callback callback)
      throws Exception {
    String path = request.getHttpURI().getPath();
    for (PostRoute r : postRoutes) {
      if (!path.equals(r.path)) {
        continue;
      }
      if (r.connector != null
          && !r.connector.equals(request.getConnectionMetaData().getConnector().getName())) {
        return false;
      }
      String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
      long length = request.getLength();
      if (type == null || !type.regionMatches(true, 0, r.contentType, 0, r.contentType.length())
          || length < 0 || length > r.maxBytes) {
        return false;
      }
      long start = System.nanoTime();
      inFlight.incrementAndGet();
      try {
        // Blocking read of at most maxBytes (Jetty stops at the declared Content-Length);
        // handlers run on pool threads, as the servlet pipeline's do.
        ByteBuffer in;
        try {
          in = Content.Source.asByteBuffer(request);
        } catch (java.io.IOException e) {
          callback.failed(e); // The client went away mid-body; there is no one to answer.
          return true;
        }
        byte[] body = new byte[in.remaining()];
        in.get(body);
        Answer a = r.answer.answer(body);
        write(a, response, callback);
        record(r.timers, "POST", r.template, a.status, start);
        r.hits.increment();
      } finally {
        inFlight.decrementAndGet();
      }
      return true;
    }
    return false;
  }

  private static void write(Answer a, Response response, Callback callback) {
    response.setStatus(a.status);
    boolean length = false;
    for (HttpField f : a.headers) {
      response.getHeaders().add(f);
      length |= f.getHeader() == HttpHeader.CONTENT_LENGTH;
    }
    if (!length) { // answers made once and served often carry theirs pre-encoded
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, a.body.remaining());
    }
    response.write(true, a.body.slice(), callback);
  }

  /** The same meter the normal pipeline records into (HttpMetrics), so counts add up. */
  private void record(Map<Integer, Timer> timers, String method, String template, int status,
      long start) {
    timers.computeIfAbsent(status, s -> Timer.builder("http_server_requests")
            .tag("method", method).tag("route", template)
            .tag("status", Integer.toString(s)).register(metrics))
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }
}
