import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.SubmissionResult;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;
import org.keyhaven.keyserver.openpgp.SyntheticKeys.Identity;
import org.keyhaven.server.KeyhavenServer;
import org.keyhaven.server.ServerConfig;

/**
 * The CVE-2019-13050 flood key against a server in this JVM (production wiring, H2 file database):
 * how long it takes to refuse or reduce 150,000 third-party certifications, and how much heap that
 * costs, compared with the flood's own size. Three ways in: the whole key over HKP (refused, 413),
 * the whole key through the bulk-import path ({@code keyhaven keys import}), and the key in ten
 * pieces of 15,000 signatures over HKP (each reduced to the capped key). Heap is measured in two
 * ways: "retained" = used heap after a full GC, after minus before; "peak" = highest used heap
 * sampled every millisecond during the operation minus the used heap after GC before it (garbage
 * included, so an upper bound).
 *
 *   bench/reliability/flood.sh
 */
public class FloodBench {
  static final int SIGS = Integer.getInteger("sigs", 150_000);
  static final int ATTACKERS = 1_000;
  static final int ON_SERVER = 50;
  static final MemoryMXBean MEM = ManagementFactory.getMemoryMXBean();

  public static void main(String[] args) throws Exception {
    Instant created = Instant.parse("2025-01-01T00:00:00Z");
    Identity victim = SyntheticKeys.identity("victim", "Victim <victim@example.org>", created);
    List<Identity> attackers = new ArrayList<>();
    for (int i = 0; i < ATTACKERS; i++) {
      attackers.add(SyntheticKeys.identity("flood" + i, "Flooder " + i + " <f" + i + "@evil.test>",
          created));
    }
    Instant newest = Instant.parse("2026-01-01T00:00:00Z");
    long g0 = System.nanoTime();
    List<byte[]> sigs = new ArrayList<>(SIGS);
    for (int i = 0; i < SIGS; i++) {
      sigs.add(SyntheticKeys.certify(attackers.get(i % ATTACKERS), victim, victim.userId(),
          newest.minusSeconds(i)).getEncoded());
    }
    byte[] whole = withSigs(victim, sigs, 0, SIGS);
    List<byte[]> pieces = new ArrayList<>();
    for (int p = 9; p >= 0; p--) {
      pieces.add(withSigs(victim, sigs, p * SIGS / 10, (p + 1) * SIGS / 10));
    }
    sigs = null;
    System.out.printf("flood key: %,d signatures, %,d bytes (%.1f MiB), generated in %d ms%n",
        SIGS, whole.length, whole.length / 1048576.0, (System.nanoTime() - g0) / 1_000_000);

    Path dir = Files.createTempDirectory("kh-flood");
    int port = Integer.getInteger("port", 19081);
    ServerConfig config = new ServerConfig(dir, "127.0.0.1", port, 0, 0, null, null, null,
        "Example Org", List.of("example.org"), null, null, null,
        ServerConfig.DEFAULT_MAX_BODY_BYTES, null, null, null);
    HttpClient http = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + port;
    try (KeyhavenServer server = KeyhavenServer.start(config, Clock.systemUTC())) {
      for (int i = 0; i < ON_SERVER; i++) {
        server.wiring().keySubmission.submit(SyntheticKeys.publicKey(attackers.get(i)));
      }
      // Warm the HKP path once with a small key.
      post(http, base, SyntheticKeys.publicKey(SyntheticKeys.identity("warm", "W <w@x.org>",
          created)));

      // 1. Whole flood over HKP: refused by its declared length, before the body is read.
      // (a) Raw socket, headers only: the server's own time to answer 413.
      for (int round = 1; round <= 3; round++) {
        Measure m = measure(() -> rawHeadersOnly(port, whole.length));
        report("HKP POST flood, headers only (" + round + ")", m, whole.length);
      }
      // (b) curl, which sends Expect: 100-continue for large bodies: the 413 arrives instead of
      // the 100 and the body never leaves the client (JDK 17's HttpClient waits forever here).
      Path keyFile = dir.resolve("flood.key");
      Files.write(keyFile, whole);
      for (int round = 1; round <= 3; round++) {
        Measure m = measure(() -> curl(base, keyFile));
        report("HKP POST flood, curl (" + round + ")", m, whole.length);
      }
      // (c) A client that pushes the whole body regardless; the server answers and closes.
      for (int round = 1; round <= 3; round++) {
        Measure m = measure(() -> {
          try {
            return "HTTP " + post(http, base, whole, false).statusCode();
          } catch (java.io.IOException e) {
            return "closed";
          }
        });
        report("HKP POST flood, body pushed (" + round + ")", m, whole.length);
      }

      // 2. Whole flood through the bulk-import path: reduced.
      Measure bulk = measure(() -> {
        List<SubmissionResult.KeyOutcome> out = new ArrayList<>();
        server.wiring().keySubmission.submitStream(new ByteArrayInputStream(whole), 0, out::add);
        return out.get(0).status().toString();
      });
      report("bulk import whole flood", bulk, whole.length);

      // 3. Ten pieces over HKP: each reduced.
      for (int p = 0; p < pieces.size(); p++) {
        byte[] piece = pieces.get(p);
        Measure m = measure(() -> "HTTP " + post(http, base, piece).statusCode());
        report("HKP POST piece " + (p + 1) + "/10 (" + SIGS / 10 + " sigs)", m, piece.length);
      }
      Fingerprint v = Fingerprint.of(victim.publicKey().getFingerprint());
      System.out.printf("stored victim key: %,d bytes served%n",
          server.wiring().keyStore.find(v).orElseThrow().served().size());
    }
  }

  static byte[] withSigs(Identity victim, List<byte[]> sigs, int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      out.writeBytes(sigs.get(i));
    }
    return SyntheticKeys.publicKey(victim, out.toByteArray());
  }

  static HttpResponse<String> post(HttpClient http, String base, byte[] key) throws Exception {
    return post(http, base, key, false);
  }

  /** Sends only the request head declaring {@code length} bytes; returns the status line. */
  static String rawHeadersOnly(int port, int length) throws Exception {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      s.getOutputStream().write(("POST /pks/add HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Content-Type: application/pgp-keys\r\nContent-Length: " + length + "\r\n\r\n")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
          java.nio.charset.StandardCharsets.US_ASCII)).readLine();
      return line == null ? "no answer" : line.replace("HTTP/1.1 ", "HTTP ").split(" ")[0] + " "
          + line.split(" ")[1];
    }
  }

  /** curl's status and its own total time (without the process start). */
  static String curl(String base, Path keyFile) throws Exception {
    Process p = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{time_total}",
        "-H", "Content-Type: application/pgp-keys", "--data-binary", "@" + keyFile,
        base + "/pks/add").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).trim();
    p.waitFor();
    String[] f = out.split(" ");
    return "HTTP " + f[0] + " curl " + Math.round(Double.parseDouble(f[1]) * 1000) + "ms";
  }

  static HttpResponse<String> post(HttpClient http, String base, byte[] key, boolean expect)
      throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + "/pks/add"))
        .timeout(java.time.Duration.ofSeconds(30))
        .expectContinue(expect)
        .header("Content-Type", "application/pgp-keys")
        .POST(HttpRequest.BodyPublishers.ofByteArray(key)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  interface Op {
    String run() throws Exception;
  }

  record Measure(String outcome, long millis, long retained, long peak) {}

  static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return MEM.getHeapMemoryUsage().getUsed();
  }

  static Measure measure(Op op) throws Exception {
    long before = usedAfterGc();
    AtomicLong peak = new AtomicLong(before);
    AtomicBoolean done = new AtomicBoolean();
    Thread sampler = new Thread(() -> {
      while (!done.get()) {
        peak.accumulateAndGet(MEM.getHeapMemoryUsage().getUsed(), Math::max);
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          return;
        }
      }
    });
    sampler.setDaemon(true);
    sampler.start();
    long t0 = System.nanoTime();
    String outcome = op.run();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    done.set(true);
    sampler.join();
    long after = usedAfterGc();
    return new Measure(outcome, ms, after - before, peak.get() - before);
  }

  static void report(String what, Measure m, long size) {
    System.out.printf("%-40s %-22s %6d ms   retained %+8.1f MiB   peak %+8.1f MiB"
            + "   (input %.1f MiB)%n", what, m.outcome(), m.millis(), m.retained() / 1048576.0,
        m.peak() / 1048576.0, size / 1048576.0);
  }
}
