package org.keyhaven.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import org.keyhaven.testkit.TestDatabases;

/**
 * A real Keyhaven server for HTTP tests: the production wiring on loopback ports, a temp data dir
 * and a fresh database (in-memory H2 by default, PostgreSQL with {@link #startOnPostgres()}).
 */
public final class TestServer implements AutoCloseable {
  public final KeyhavenServer server;
  public final Path dataDir;
  public final String adminToken;
  public final String base;
  private final HttpClient http = HttpClient.newHttpClient();

  private TestServer(KeyhavenServer server, Path dataDir) throws IOException {
    this.server = server;
    this.dataDir = dataDir;
    this.adminToken = Files.readString(dataDir.resolve("admin-token")).strip();
    this.base = "http://127.0.0.1:" + server.httpPort();
  }

  public static TestServer start() {
    return start(TestDatabases.h2Url("srv_" + UUID.randomUUID().toString().substring(0, 8)), 0, 0);
  }

  public static TestServer startOnPostgres() {
    return start(TestDatabases.newPostgresDatabaseUrl(), 0, 0);
  }

  /** Starts with the given JDBC URL; {@code hkpPort}/{@code ldapPort} -1 = off, 0 = a free port. */
  public static TestServer start(String dbUrl, int hkpPort, int ldapPort) {
    try {
      Path dir = Files.createTempDirectory("keyhaven-test");
      ServerConfig config = config(dir, dbUrl, freePort(), hkpPort < 0 ? 0 : freePort(),
          ldapPort < 0 ? 0 : freePort());
      return new TestServer(KeyhavenServer.start(config, Clock.systemUTC()), dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static ServerConfig config(Path dir, String dbUrl, int http, int hkp, int ldap) {
    return new ServerConfig(dir, "127.0.0.1", http, hkp, ldap, dbUrl, null, null, "Example Org",
        List.of("example.org"), null, null, null, ServerConfig.DEFAULT_MAX_BODY_BYTES, null, null,
        null);
  }

  /** A port that was free a moment ago (the server needs it known up front for its public URL). */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends a request with an optional bearer token; the body is returned as a string. */
  public HttpResponse<String> send(String method, String path, String token, String contentType,
      byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path, String token) {
    return send("GET", path, token, null, null);
  }

  public HttpResponse<String> postJson(String path, String token, String json) {
    return send("POST", path, token, "application/json",
        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  /** Creates a token with the given role through the API and returns its secret. */
  public String token(String name, String role) {
    var r = postJson("/api/v1/tokens", adminToken, "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    if (r.statusCode() != 201) {
      throw new IllegalStateException("token create failed: " + r.statusCode() + " " + r.body());
    }
    String body = r.body();
    int i = body.indexOf("\"token\":\"") + 9;
    return body.substring(i, body.indexOf('"', i));
  }

  @Override
  public void close() {
    server.close();
  }
}
