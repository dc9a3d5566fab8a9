package org.keyhaven.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The CLI's client of the REST API. The token comes from {@code --token}, then {@code
 * KEYHAVEN_TOKEN}, then {@code <data-dir>/admin-token}.
 */
public final class ApiClient {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private final String base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public ApiClient(String server, String token) {
    this.base = server.replaceAll("/+$", "");
    this.token = token;
  }

  /** Resolves the token from the option, the environment, or the data dir (in that order). */
  public static ApiClient from(ClientOptions o) {
    String token = o.token;
    if (token == null || token.isBlank()) {
      token = System.getenv("KEYHAVEN_TOKEN");
    }
    if (token == null || token.isBlank()) {
      Path file = Path.of(o.dataDir).resolve("admin-token");
      if (Files.isReadable(file)) {
        try {
          token = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
          throw new CliException("cannot read " + file + ": " + e.getMessage());
        }
      }
    }
    return new ApiClient(o.server, token);
  }

  /** A response: status, content type and body bytes. */
  public record Response(int status, String contentType, byte[] body) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    public JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new CliException("server answered with invalid JSON");
      }
    }
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE());
  }

  public Response postJson(String path, Object body) {
    try {
      byte[] json = MAPPER.writeValueAsBytes(body);
      return send(HttpRequest.newBuilder(uri(path))
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(json)));
    } catch (IOException e) {
      throw new CliException("cannot encode request: " + e.getMessage());
    }
  }

  public Response post(String path, String contentType, byte[] body) {
    return send(HttpRequest.newBuilder(uri(path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  /** Like the send methods, but a non-2xx answer becomes a {@link CliException} with its detail. */
  public Response expectOk(Response r) {
    if (r.status() / 100 != 2) {
      String detail = r.text();
      if (r.contentType() != null && r.contentType().contains("json")) {
        JsonNode n = r.json();
        if (n.hasNonNull("detail")) {
          detail = n.get("detail").asText();
        }
      }
      throw new CliException("server answered " + r.status() + ": " + detail);
    }
    return r;
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private Response send(HttpRequest.Builder b) {
    if (token != null && !token.isBlank()) {
      b.header("Authorization", "Bearer " + token);
    }
    b.timeout(Duration.ofSeconds(60));
    try {
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Response(r.statusCode(), r.headers().firstValue("Content-Type").orElse(null), r.body());
    } catch (IOException e) {
      throw new CliException("cannot reach " + base + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
