package org.keyhaven.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Invocable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Which thread does what in {@link FastPath}: the handler tree is non-blocking, a cached GET is
 * answered on the selector thread that read it, and everything that may block (a miss, a POST
 * body, a chunked body, the pipeline behind) runs on a pool thread, never on a selector. A
 * refused oversized body sent in full still reads as a 413 (the drain), on this bare server too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FastPathThreadsTest {
  static final int LIMIT = 4096;

  final Map<String, Boolean> onSelector = new ConcurrentHashMap<>();
  final HttpClient http = HttpClient.newHttpClient();
  Server server;
  ServerConnector connector;

  /**
   * Running inside a selector's produce loop: the selector itself running a non-blocking task in
   * place (or, for a blocking task, a selector thread that handed selecting to another thread
   * first). Not there on a thread the pool started for a task handed to it.
   */
  static boolean selectorOnStack() {
    return StackWalker.getInstance().walk(s -> s.anyMatch(f -> f.getClassName()
        .equals("org.eclipse.jetty.util.thread.strategy.AdaptiveExecutionStrategy")));
  }

  @BeforeAll
  void start() throws Exception {
    server = new Server();
    connector = new ServerConnector(server, 1, 2);
    connector.setHost("127.0.0.1");
    connector.setName("http");
    server.addConnector(connector);
    FastPath fast = new FastPath(new SimpleMeterRegistry(), new AtomicInteger());
    fast.limitBodies(LIMIT);
    fast.register("/cached/", null, "/cached/<x>", request -> {
      String path = request.getHttpURI().getPath();
      if (!path.endsWith("/hit")) {
        return null;
      }
      onSelector.put("lookup", selectorOnStack());
      return new FastPath.Answer(200, List.of(new HttpField(HttpHeader.CONTENT_TYPE,
          "text/plain")), ByteBuffer.wrap("cached".getBytes(StandardCharsets.US_ASCII)));
    });
    fast.registerPost("/post", null, "application/x-test", 1024, "/post", body -> {
      onSelector.put("post", selectorOnStack());
      return new FastPath.Answer(200, List.of(), ByteBuffer.wrap(body));
    });
    fast.setHandler(new Handler.Abstract() { // blocking, as the servlet pipeline is
      @Override
      public boolean handle(Request request, Response response, Callback callback)
          throws Exception {
        onSelector.put("pipeline " + request.getMethod() + " " + request.getHttpURI().getPath(),
            selectorOnStack());
        long n = Content.Source.asByteBuffer(request).remaining(); // a blocking read
        response.setStatus(200);
        Content.Sink.write(response, true, "pipeline " + n, callback);
        return true;
      }
    });
    server.setHandler(fast);
    server.start();
  }

  @AfterAll
  void stop() throws Exception {
    server.stop();
  }

  String base() {
    return "http://127.0.0.1:" + connector.getLocalPort();
  }

  HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theHandlerTreeIsNonBlocking() {
    assertThat(server.getInvocationType()).isEqualTo(Invocable.InvocationType.NON_BLOCKING);
  }

  @Test
  void aCachedGet_isAnsweredOnTheSelector_everythingElseOnAPoolThread() throws Exception {
    var hit = send(HttpRequest.newBuilder(URI.create(base() + "/cached/hit")));
    assertThat(hit.statusCode()).isEqualTo(200);
    assertThat(hit.body()).isEqualTo("cached");
    assertThat(onSelector.get("lookup")).isTrue();

    var miss = send(HttpRequest.newBuilder(URI.create(base() + "/cached/miss")));
    assertThat(miss.body()).isEqualTo("pipeline 0");
    assertThat(onSelector.get("pipeline GET /cached/miss")).isFalse();

    var post = send(HttpRequest.newBuilder(URI.create(base() + "/post"))
        .header("Content-Type", "application/x-test")
        .POST(HttpRequest.BodyPublishers.ofString("abc")));
    assertThat(post.body()).isEqualTo("abc");
    assertThat(onSelector.get("post")).isFalse();

    var other = send(HttpRequest.newBuilder(URI.create(base() + "/other"))
        .POST(HttpRequest.BodyPublishers.ofString("abcd")));
    assertThat(other.body()).isEqualTo("pipeline 4");
    assertThat(onSelector.get("pipeline POST /other")).isFalse();

    // No declared length: counted by SizeLimitHandler while the pipeline reads it.
    var chunked = send(HttpRequest.newBuilder(URI.create(base() + "/chunked"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(new byte[100]))));
    assertThat(chunked.body()).isEqualTo("pipeline 100");
    assertThat(onSelector.get("pipeline POST /chunked")).isFalse();
    var tooLong = send(HttpRequest.newBuilder(URI.create(base() + "/chunked-big"))
        .POST(HttpRequest.BodyPublishers.ofInputStream(
            () -> new ByteArrayInputStream(new byte[LIMIT * 4]))));
    assertThat(tooLong.statusCode()).isEqualTo(413);

    var head = send(HttpRequest.newBuilder(URI.create(base() + "/cached/hit"))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()));
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(onSelector.get("pipeline HEAD /cached/hit")).isFalse();
  }

  @Test
  void aDeclaredOversizedBody_sentInFull_readsAsThe413() throws Exception {
    assertThat(WholeBodyUploads.post(connector.getLocalPort(), "/pks/add",
        "application/pgp-keys", 1 << 20, 20))
        .allSatisfy(answer -> assertThat(answer).startsWith("HTTP/1.1 413"));
  }
}
