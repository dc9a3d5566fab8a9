package org.keyhaven.server.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.keyhaven.server.TestServer;

/**
 * One Keyhaven node as a separate JVM ({@code keyhaven serve} through {@code Main}, on the test
 * class path), so that it can be killed with SIGKILL like a crashed machine.
 */
final class ClusterNode implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static final Pattern METRIC = Pattern.compile(
      "^(keyhaven_job_lease_held|keyhaven_job_runs_total)\\{job=\"([^\"]+)\"[^}]*\\}\\s+(\\S+)$",
      Pattern.MULTILINE);

  final String name;
  final Path dir;
  final int http;
  final int hkp;
  final int ldap;
  final String base;
  private Process process;

  ClusterNode(String name, Path dir) {
    this.name = name;
    this.dir = dir;
    this.http = TestServer.freePort();
    this.hkp = TestServer.freePort();
    this.ldap = TestServer.freePort();
    this.base = "http://127.0.0.1:" + http;
  }

  /** Starts the JVM (not waiting for it to be ready). */
  ClusterNode launch(String dbUrl, Path masterSecret, int jobPeriodSeconds) {
    String cp = System.getProperty("surefire.test.class.path");
    if (cp == null || cp.isBlank()) {
      cp = System.getProperty("java.class.path");
    }
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx192m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
        "-Dorg.slf4j.simpleLogger.log.org.eclipse.jetty=warn",
        "-Dorg.slf4j.simpleLogger.log.org.flywaydb=warn",
        "-Dorg.slf4j.simpleLogger.log.com.zaxxer.hikari=warn",
        "-cp", cp, "org.keyhaven.server.Main", "serve",
        "--data-dir", dir.toString(), "--bind", "127.0.0.1",
        "--http-port", Integer.toString(http), "--hkp-port", Integer.toString(hkp),
        "--ldap-port", Integer.toString(ldap), "--db-url", dbUrl,
        "--key-passphrase-file", masterSecret.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd)
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("node.log").toFile());
    pb.environment().put("KEYHAVEN_JOB_PERIOD_SECONDS", Integer.toString(jobPeriodSeconds));
    try {
      Files.createDirectories(dir);
      process = pb.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  /** Waits until {@code /health} answers 200, or fails with the node's log. */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited: " + log());
      }
      try {
        if (get("/health", null).statusCode() == 200) {
          return;
        }
      } catch (UncheckedIOException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(name + " not ready in " + timeout + ": " + log());
  }

  long pid() {
    return process.pid();
  }

  boolean alive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL: no shutdown hook, no lease release, no drain. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  String log() {
    try {
      return Files.readString(dir.resolve("node.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  HttpResponse<String> get(String path, String token) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), token,
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<byte[]> getBytes(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), null,
        HttpResponse.BodyHandlers.ofByteArray());
  }

  HttpResponse<String> post(String path, String token, String contentType, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)), token,
        HttpResponse.BodyHandlers.ofString());
  }

  static <T> HttpResponse<T> send(HttpRequest.Builder b, String token,
      HttpResponse.BodyHandler<T> handler) {
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      return HTTP.send(b.timeout(Duration.ofSeconds(30)).build(), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Per cluster job: lease held (1/0) and runs so far, from this node's {@code /metrics}. */
  Map<String, double[]> jobs() {
    Map<String, double[]> out = new HashMap<>();
    Matcher m = METRIC.matcher(get("/metrics", null).body());
    while (m.find()) {
      double[] v = out.computeIfAbsent(m.group(2), k -> new double[] {0, 0});
      v[m.group(1).equals("keyhaven_job_lease_held") ? 0 : 1] = Double.parseDouble(m.group(3));
    }
    return out;
  }

  @Override
  public void close() throws InterruptedException {
    if (alive()) {
      process.destroy();
      if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
  }
}
