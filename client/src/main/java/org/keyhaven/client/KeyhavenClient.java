package org.keyhaven.client;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Looks up recipients' keys on a Keyhaven server. Thread-safe; create one and share it.
 *
 * <pre>{@code
 * KeyhavenClient kh = KeyhavenClient.create(URI.create("https://keys.example.org"), Duration.ofSeconds(3));
 * Optional<Recipient> alice = kh.lookup("alice@example.org");
 * }</pre>
 */
public final class KeyhavenClient {
  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private final URI base;
  private final Duration timeout;
  private final HttpClient http;

  private KeyhavenClient(URI base, Duration timeout) {
    this.base = base;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** A client for the server at {@code base}, with {@code timeout} for connecting and for each answer. */
  public static KeyhavenClient create(URI base, Duration timeout) {
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(timeout, "timeout");
    String s = base.toString().replaceAll("/+$", "");
    return new KeyhavenClient(URI.create(s), timeout);
  }

  /** The usable keys for one address, or empty when the server knows none (404). */
  public Optional<Recipient> lookup(String email) {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/api/v1/recipients/" + enc(email))).GET());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    check(r);
    return Optional.of(read(r.body(), new TypeReference<Recipient>() {}));
  }

  /** Answers for a whole list in one call, keyed by normalised address. */
  public Map<String, Recipient> lookupAll(List<String> emails) {
    byte[] body;
    try {
      body = JSON.writeValueAsBytes(Map.of("emails", emails));
    } catch (IOException e) {
      throw new KeyhavenClientException(0, "cannot encode request", e);
    }
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(uri("/api/v1/recipients"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    check(r);
    JsonNode root = read(r.body(), new TypeReference<JsonNode>() {});
    return JSON.convertValue(root.get("recipients"), new TypeReference<Map<String, Recipient>>() {});
  }

  /** The usable OpenPGP keys for an address, armored, or empty when there are none. */
  public Optional<String> openPgpKeys(String email) {
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(
        uri("/api/v1/recipients/" + enc(email) + "?format=openpgp")).GET());
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    check(r);
    return Optional.of(new String(r.body(), StandardCharsets.US_ASCII));
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private URI uri(String path) {
    return URI.create(base + path);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder b) {
    try {
      return http.send(b.timeout(timeout).header("Accept", "application/json").build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new KeyhavenClientException(0, "cannot reach " + base + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KeyhavenClientException(0, "interrupted", e);
    }
  }

  private static void check(HttpResponse<byte[]> r) {
    if (r.statusCode() / 100 == 2) {
      return;
    }
    String detail = new String(r.body(), StandardCharsets.UTF_8);
    try {
      JsonNode p = JSON.readTree(r.body());
      if (p != null && p.hasNonNull("detail")) {
        detail = p.get("detail").asText();
      }
    } catch (IOException e) {
      // not problem+json: keep the text
    }
    throw new KeyhavenClientException(r.statusCode(), "server answered " + r.statusCode() + ": " + detail, null);
  }

  private static <T> T read(byte[] body, TypeReference<T> type) {
    try {
      return JSON.readValue(body, type);
    } catch (IOException e) {
      throw new KeyhavenClientException(0, "server answered with JSON this client cannot read", e);
    }
  }
}
