package org.keyhaven.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.keyhaven.server.http.RouteGroup;
import org.keyhaven.testkit.TestDatabases;

/** Shutdown (what SIGTERM runs) lets a request in flight finish, then refuses new connections. */
class GracefulShutdownTest {

  @Test
  void close_letsInFlightRequestFinish_thenRefusesNewOnes() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    RouteGroup slow = routes -> routes.get("/test/slow", ctx -> {
      entered.countDown();
      Thread.sleep(1500);
      ctx.result("done");
    });
    var dir = Files.createTempDirectory("kh-graceful");
    int port = TestServer.freePort();
    var config = TestServer.config(dir, TestDatabases.h2Url("graceful" + System.nanoTime()), port, 0, 0);
    KeyhavenServer server = KeyhavenServer.start(config, Clock.systemUTC(), List.of(slow));
    HttpClient http = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/test/slow")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    long start = System.nanoTime();
    server.close();
    HttpResponse<String> r = inFlight.get(10, TimeUnit.SECONDS);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("done");
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThan(500);
    assertThatThrownBy(() -> HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
        HttpResponse.BodyHandlers.ofString())).isInstanceOf(java.io.IOException.class);
  }
}
