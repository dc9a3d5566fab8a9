// Issuance throughput through the REST API versus the raw signing rate of the same CA key in the
// same JVM (the physical limit). Run through run.sh, which builds the classpath.
//
// For each CA key type (EC P-256, RSA-2048) it creates a CA under pca-standard over REST, then:
//   raw:  T threads sign a 1 KiB message with CaSigner.newContentSigner() for D seconds;
//   rest: T threads POST /api/v1/cas/{ca}/certificates (pre-made P-256 CSRs) for D seconds.
// Both use the same key object; the server's default H2 file database in a temp data dir,
// audit log on.
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.hierarchy.CaSigner;
import org.keyhaven.server.KeyhavenServer;
import org.keyhaven.server.ServerConfig;

public class CaIssuanceBench {
  static final int THREADS = Integer.getInteger("threads", 4);
  static final int SECONDS = Integer.getInteger("seconds", 10);
  static final int WARMUP = Integer.getInteger("warmup", 10);
  static final HttpClient HTTP = HttpClient.newHttpClient();

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("kh-bench");
    int port;
    try (var s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // No database URL: the server's own default, the H2 file in the data dir with the settings
    // production runs with (WRITE_DELAY=0: every commit reaches the file before it returns, so a
    // 201 survives SIGKILL). Runs before 2026-11-25 passed an H2 URL without WRITE_DELAY=0.
    ServerConfig cfg = new ServerConfig(dir, "127.0.0.1", port, 0, 0, null, null, null,
        "Example Org", List.of("example.org"), null, null, null, 4L << 20);
    try (KeyhavenServer srv = KeyhavenServer.start(cfg, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + srv.httpPort();
      String token = Files.readString(dir.resolve("admin-token")).strip();
      List<String> csrs = csrs(400);
      System.out.printf("threads=%d seconds=%d warmup=%d cores=%d java=%s%n", THREADS, SECONDS,
          WARMUP, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
      // The REST client: wrk (C, outside the JVM; 2 threads, 8 connections) by default, so the
      // client's own work does not eat the server's cores; -Dclient=jdk uses java.net.http
      // threads in this JVM (the first recorded runs).
      boolean useWrk = !"jdk".equals(System.getProperty("client", "wrk"));
      Path bodies = dir.resolve("bodies.txt");
      Files.write(bodies, csrs.stream().map(c -> "{\"csr\":\"" + c.replace("\n", "\\n")
          + "\",\"profile\":\"smime-sign\"}").toList());
      System.out.printf("REST client: %s%n", useWrk ? "wrk -t2 -c8" : "java.net.http, " + THREADS
          + " threads");
      System.out.printf("%-10s %14s %14s %8s %16s %13s %14s %9s%n", "CA key", "raw sign/s",
          "REST certs/s", "ratio", "GET /cas/{ca}/s", "raw CPU ms/op", "REST CPU ms/op",
          "CPU ratio");
      for (String alg : new String[] {"ec-p256", "rsa-2048"}) {
        String ca = "bench-" + alg;
        post(base, token, "/api/v1/cas", "{\"id\":\"" + ca + "\",\"parent\":\"pca-standard\","
            + "\"keyAlgorithm\":\"" + alg + "\",\"commonName\":\"Bench " + alg + "\"}", 201);
        CaSigner signer = srv.wiring().ca.registry().signer(CaId.of(ca));
        // Warm-up both paths, then measure. The REST path runs far more code (Jetty, Javalin,
        // Jackson, H2, BouncyCastle) than a signature, and on a shared 2-core machine its JIT
        // compilation was still running after 3 s, charging compiler CPU to the measurement.
        raw(signer, 2);
        if (useWrk) {
          wrk(base, token, ca, bodies, WARMUP);
        } else {
          rest(base, token, ca, csrs, WARMUP);
        }
        double raw = raw(signer, SECONDS);
        double rawCpu = lastCpuPerOp;
        double rest = useWrk ? wrk(base, token, ca, bodies, SECONDS)
            : rest(base, token, ca, csrs, SECONDS);
        double restCpu = lastCpuPerOp;
        // Baseline: an authenticated read of the same CA (auth, routing, JSON; no crypto, no
        // writes), to separate the server's per-request cost from issuance.
        double get = parallel(SECONDS / 2, () -> get(base, token, "/api/v1/cas/" + ca));
        System.out.printf("%-10s %14.0f %14.0f %7.0f%% %16.0f %13.3f %14.3f %8.0f%%%n", alg, raw,
            rest, 100 * rest / raw, get, rawCpu, restCpu, 100 * rawCpu / restCpu);
      }
    }
  }

  static double raw(CaSigner signer, int seconds) throws Exception {
    byte[] tbs = new byte[1024];
    return parallel(seconds, () -> {
      ContentSigner s = signer.newContentSigner();
      s.getOutputStream().write(tbs);
      if (s.getSignature().length == 0) {
        throw new IllegalStateException();
      }
    });
  }

  static double rest(String base, String token, String ca, List<String> csrs, int seconds)
      throws Exception {
    AtomicLong n = new AtomicLong();
    double rate = parallel(seconds, () -> {
      String csr = csrs.get((int) (n.incrementAndGet() % csrs.size()));
      String body = "{\"csr\":\"" + csr.replace("\n", "\\n") + "\",\"profile\":\"smime-sign\"}";
      post(base, token, "/api/v1/cas/" + ca + "/certificates", body, 201);
    });
    lastCpuPerOp = Double.NaN; // client and server share this JVM: no per-answer server figure
    return rate;
  }

  /** Runs wrk with issue.lua against the issuance route; returns requests/s of 201 answers. */
  static double wrk(String base, String token, String ca, Path bodies, int seconds)
      throws Exception {
    Path lua = Path.of(System.getProperty("bench.dir", "bench/ca")).resolve("issue.lua");
    long cpu0 = PROCESS.getProcessCpuTime();
    Process p = new ProcessBuilder("wrk", "-t2", "-c8", "-d" + seconds + "s", "--latency", "-s",
        lua.toString(), base + "/api/v1/cas/" + ca + "/certificates", "--", bodies.toString(),
        token).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor();
    long cpu = PROCESS.getProcessCpuTime() - cpu0;
    if (out.contains("Non-2xx") || !out.contains("Requests/sec")) {
      throw new IllegalStateException("wrk run failed:\n" + out);
    }
    for (String line : out.split("\n")) {
      if (line.strip().startsWith("99%")) {
        System.out.printf("  %s REST p99 %s%n", ca, line.strip().substring(3).strip());
      }
    }
    String rps = out.substring(out.indexOf("Requests/sec:") + 13).strip().split("\\s+")[0];
    // "N requests in 10.00s": this JVM's CPU time (every thread: Jetty, H2, GC, JIT) per answer.
    String n = out.substring(0, out.indexOf(" requests in")).strip();
    lastCpuPerOp = cpu / 1e6 / Long.parseLong(n.substring(n.lastIndexOf('\n') + 1).strip());
    return Double.parseDouble(rps);
  }

  interface Op {
    void run() throws Exception;
  }

  /**
   * CPU milliseconds per operation of the last measurement: for {@link #parallel}, the CPU time
   * of its own worker threads (ThreadMXBean); for {@link #wrk}, of this whole JVM (the server).
   * Unlike operations per second, these hardly move when other processes share the cores.
   */
  static volatile double lastCpuPerOp;

  static final com.sun.management.OperatingSystemMXBean PROCESS =
      (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
          .getOperatingSystemMXBean();

  static double parallel(int seconds, Op op) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    AtomicLong done = new AtomicLong();
    AtomicLong cpuNanos = new AtomicLong();
    var threadCpu = java.lang.management.ManagementFactory.getThreadMXBean();
    long t0 = System.nanoTime();
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      fs.add(pool.submit(() -> {
        long cpu0 = threadCpu.getCurrentThreadCpuTime();
        while (System.nanoTime() < end) {
          op.run();
          done.incrementAndGet();
        }
        cpuNanos.addAndGet(threadCpu.getCurrentThreadCpuTime() - cpu0);
        return null;
      }));
    }
    for (Future<?> f : fs) {
      f.get();
    }
    pool.shutdown();
    lastCpuPerOp = cpuNanos.get() / 1e6 / Math.max(1, done.get());
    return done.get() / ((System.nanoTime() - t0) / 1e9);
  }

  static String post(String base, String token, String path, String json, int expect)
      throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != expect) {
      throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
    }
    return r.body();
  }

  static void get(String base, String token, String path) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + path))
        .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + " -> " + r.statusCode());
    }
  }

  static List<String> csrs(int count) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    List<String> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      KeyPair kp = g.generateKeyPair();
      String mail = "bench" + i + "@example.org";
      var b = new JcaPKCS10CertificationRequestBuilder(
          new X500Name("O=Example Org,CN=Bench " + i), kp.getPublic());
      ExtensionsGenerator eg = new ExtensionsGenerator();
      eg.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.rfc822Name, mail)));
      b.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, eg.generate());
      out.add(IssuedCertificate.pem("CERTIFICATE REQUEST", b.build(
          new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded()));
    }
    return out;
  }
}
