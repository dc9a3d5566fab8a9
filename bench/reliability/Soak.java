import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;

/**
 * Soak driver (bench/reliability/soak.sh starts the server and runs this). Mixed traffic: OCSP GET,
 * HKP op=get, recipient lookup and certificate issuance. First a closed-loop calibration with
 * -Dthreads clients for -Dcalibrate seconds measures capacity on this mix; then an open-loop run at
 * -Dfraction (0.8) of it for -Dseconds, one report line per -Dinterval seconds: requests, errors,
 * p50/p99/max latency (from the scheduled send time, so a stalled server shows), the server's RSS
 * and heap (jcmd GC.heap_info) and the load average.
 */
public class Soak {
  static final String BASE = System.getProperty("base", "http://127.0.0.1:19080");
  static final String TOKEN = System.getProperty("token");
  static final long PID = Long.getLong("pid", 0);
  static final int THREADS = Integer.getInteger("threads", 8);
  static final int CALIBRATE = Integer.getInteger("calibrate", 20);
  static final int SECONDS = Integer.getInteger("seconds", 600);
  static final int INTERVAL = Integer.getInteger("interval", 30);
  static final double FRACTION = Double.parseDouble(System.getProperty("fraction", "0.8"));
  static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  enum Kind { OCSP, HKP, RECIPIENT, ISSUE }

  /** Mix per 100 requests. */
  static final Kind[] MIX = mix(Map.of(Kind.OCSP, 40, Kind.HKP, 30, Kind.RECIPIENT, 27,
      Kind.ISSUE, 3));

  static List<String> ocspPaths = new ArrayList<>();
  static List<String> fingerprints = new ArrayList<>();
  static List<String> mailboxes = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    setUp(Integer.getInteger("fixtures", 40));
    // Calibration: closed loop, as fast as THREADS clients go.
    Stats cal = new Stats();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    for (int i = 0; i < THREADS; i++) {
      pool.submit(() -> {
        while (!stop.get()) {
          long t0 = System.nanoTime();
          cal.record(one(), System.nanoTime() - t0);
        }
        return null;
      });
    }
    Thread.sleep(CALIBRATE * 1000L);
    stop.set(true);
    pool.shutdown();
    pool.awaitTermination(60, TimeUnit.SECONDS);
    double capacity = cal.count.sum() / (double) CALIBRATE;
    double rate = capacity * FRACTION;
    System.out.printf("capacity (closed loop, %d clients, %d s): %.0f req/s, %d errors, p99 %.1f ms;"
            + " soak at %.0f%% = %.0f req/s for %d s%n", THREADS, CALIBRATE, capacity,
        cal.errors.sum(), cal.percentile(0.99) / 1e6, FRACTION * 100, rate, SECONDS);
    System.out.println("interval  t(s)  requests  errors   p50 ms   p99 ms   max ms   RSS MiB"
        + "  heap used MiB  load1");

    // Soak: open loop at the fixed rate; latency counts from the scheduled time.
    ExecutorService workers = Executors.newFixedThreadPool(Math.max(THREADS * 4, 32));
    long periodNanos = (long) (1e9 / rate);
    long start = System.nanoTime();
    long end = start + SECONDS * 1_000_000_000L;
    Stats total = new Stats();
    Stats[] current = {new Stats()};
    long nextReport = start + INTERVAL * 1_000_000_000L;
    int n = 0;
    long scheduled = start;
    AtomicLong backlog = new AtomicLong();
    while (scheduled < end) {
      long now = System.nanoTime();
      if (scheduled > now) {
        TimeUnit.NANOSECONDS.sleep(Math.min(scheduled - now, 5_000_000));
        continue;
      }
      long due = scheduled;
      Stats s = current[0];
      backlog.incrementAndGet();
      workers.submit(() -> {
        boolean ok = one();
        long lat = System.nanoTime() - due;
        s.record(ok, lat);
        total.record(ok, lat);
        BY_KIND.computeIfAbsent(LAST_KIND.get(), k -> new Stats()).record(ok, lat);
        backlog.decrementAndGet();
      });
      scheduled += periodNanos;
      if (scheduled >= nextReport) {
        Stats done = current[0];
        current[0] = new Stats();
        n++;
        report(n, (nextReport - start) / 1_000_000_000L, done);
        nextReport += INTERVAL * 1_000_000_000L;
      }
    }
    workers.shutdown();
    workers.awaitTermination(60, TimeUnit.SECONDS);
    if (current[0].count.sum() > 0) {
      report(n + 1, SECONDS, current[0]);
    }
    System.out.printf("total: %d requests, %d errors, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
        total.count.sum(), total.errors.sum(), total.percentile(0.5) / 1e6,
        total.percentile(0.99) / 1e6, total.max.get() / 1e6);
    for (Map.Entry<Kind, Stats> e : new java.util.TreeMap<>(BY_KIND).entrySet()) {
      Stats k = e.getValue();
      System.out.printf("  %-9s %9d requests, %d errors, p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
          e.getKey(), k.count.sum(), k.errors.sum(), k.percentile(0.5) / 1e6,
          k.percentile(0.99) / 1e6, k.max.get() / 1e6);
    }
    for (Map.Entry<String, LongAdder> e : new java.util.TreeMap<>(ERRORS).entrySet()) {
      System.out.println("  error " + e.getKey() + ": " + e.getValue().sum());
    }
    System.exit(total.errors.sum() == 0 ? 0 : 1);
  }

  static final Map<String, LongAdder> ERRORS = new ConcurrentHashMap<>();
  /** Latency per kind over the whole open-loop run (the mix hides a slow minority). */
  static final Map<Kind, Stats> BY_KIND = new ConcurrentHashMap<>();
  static final ThreadLocal<Kind> LAST_KIND = new ThreadLocal<>();

  static void report(int n, long t, Stats s) {
    String[] heap = heap();
    System.out.printf("%8d %5d %9d %7d %8.1f %8.1f %8.1f %9s %14s  %s%n", n, t, s.count.sum(),
        s.errors.sum(), s.percentile(0.5) / 1e6, s.percentile(0.99) / 1e6, s.max.get() / 1e6,
        rss(), heap[0], load());
  }

  static String rss() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/" + PID + "/status"))) {
        if (l.startsWith("VmRSS:")) {
          return Long.toString(Long.parseLong(l.replaceAll("\\D", "")) / 1024);
        }
      }
    } catch (Exception e) {
      // no such process
    }
    return "?";
  }

  /**
   * Heap in use, from the server's own Prometheus metrics (the sum of
   * jvm_memory_used_bytes{area="heap"} over the pools). An earlier version ran `jcmd
   * GC.heap_info` every interval: starting a JVM for it took a good part of a core and the
   * attach stopped the server at a safepoint, which showed up as a 250 ms latency spike in every
   * interval of the soak it was measuring.
   */
  static String[] heap() {
    try {
      HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create(BASE + "/metrics"))
          .header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      double used = 0;
      for (String line : new String(r.body(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
          used += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
      }
      return new String[] {used == 0 ? "?" : Long.toString((long) (used / (1 << 20)))};
    } catch (Exception e) {
      return new String[] {"?"};
    }
  }

  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (Exception e) {
      return "?";
    }
  }

  static Kind[] mix(Map<Kind, Integer> weights) {
    List<Kind> out = new ArrayList<>();
    weights.forEach((k, w) -> {
      for (int i = 0; i < w; i++) {
        out.add(k);
      }
    });
    return out.toArray(new Kind[0]);
  }

  /** One request of the mix; true if it got the expected answer. */
  static boolean one() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    Kind k = MIX[r.nextInt(MIX.length)];
    LAST_KIND.set(k);
    try {
      HttpResponse<byte[]> resp;
      switch (k) {
        case OCSP -> resp = get(ocspPaths.get(r.nextInt(ocspPaths.size())));
        case HKP -> resp = get("/pks/lookup?op=get&options=mr&search=0x"
            + fingerprints.get(r.nextInt(fingerprints.size())));
        case RECIPIENT -> resp = get("/api/v1/recipients/"
            + URLEncoder.encode(mailboxes.get(r.nextInt(mailboxes.size())), StandardCharsets.UTF_8));
        default -> resp = issue("soak-" + r.nextLong(1L << 40) + "@example.org");
      }
      int want = k == Kind.ISSUE ? 201 : 200;
      if (resp.statusCode() != want) {
        ERRORS.computeIfAbsent(k + " HTTP " + resp.statusCode(), x -> new LongAdder()).increment();
        return false;
      }
      return true;
    } catch (Exception e) {
      ERRORS.computeIfAbsent(k + " " + e.getClass().getSimpleName(), x -> new LongAdder())
          .increment();
      return false;
    }
  }

  static HttpResponse<byte[]> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(BASE + path)).timeout(Duration.ofSeconds(30))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> post(String path, String type, byte[] body, boolean auth)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(BASE + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", type)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (auth) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  static HttpResponse<byte[]> issue(String mail) throws Exception {
    String json = "{\"csr\":\"" + csr(mail).replace("\n", "\\n") + "\",\"profile\":\"smime-sign\"}";
    return post("/api/v1/cas/ca-mail/certificates", "application/json",
        json.getBytes(StandardCharsets.UTF_8), true);
  }

  /** Certificates (for OCSP and recipient lookups) and OpenPGP keys (HKP) to read during the run. */
  static void setUp(int n) throws Exception {
    var digest = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    for (int i = 0; i < n; i++) {
      String mail = "fixture" + i + "@example.org";
      HttpResponse<byte[]> r = issue(mail);
      if (r.statusCode() != 201) {
        throw new IllegalStateException("fixture issuance: " + r.statusCode() + " "
            + new String(r.body(), StandardCharsets.UTF_8));
      }
      String body = new String(r.body(), StandardCharsets.UTF_8);
      var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      X509CertificateHolder issuer = pem(json.get("chain").get(0).asText());
      BigInteger serial = new BigInteger(json.get("serial").asText(), 16);
      byte[] req = new OCSPReqBuilder().addRequest(new CertificateID(digest, issuer, serial))
          .build().getEncoded();
      ocspPaths.add("/ocsp/" + URLEncoder.encode(Base64.getEncoder().encodeToString(req),
          StandardCharsets.UTF_8));
      mailboxes.add(mail);
      var id = SyntheticKeys.identity("soak-" + i, "Fixture " + i + " <" + mail + ">",
          Instant.parse("2026-01-01T00:00:00Z"));
      HttpResponse<byte[]> k = post("/pks/add", "application/pgp-keys",
          SyntheticKeys.publicKey(id), false);
      if (k.statusCode() != 200) {
        throw new IllegalStateException("fixture key upload: " + k.statusCode());
      }
      fingerprints.add(HexFormat.of().withUpperCase().formatHex(id.publicKey().getFingerprint()));
    }
    System.out.printf("fixtures: %d certificates, %d keys%n", n, n);
  }

  static X509CertificateHolder pem(String pem) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      return (X509CertificateHolder) p.readObject();
    }
  }

  static final ThreadLocal<KeyPairGenerator> EC = ThreadLocal.withInitial(() -> {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  });

  static String csr(String mail) throws Exception {
    KeyPair kp = EC.get().generateKeyPair();
    ExtensionsGenerator ext = new ExtensionsGenerator();
    ext.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.rfc822Name, mail)));
    var req = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=Example Org,CN=Soak"),
        kp.getPublic()).addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest,
        ext.generate()).build(new JcaContentSignerBuilder("SHA256withECDSA")
        .build(kp.getPrivate()));
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(req);
    }
    return w.toString();
  }

  /** Counts and a latency histogram in 0.1 ms buckets up to 30 s. */
  static final class Stats {
    final LongAdder count = new LongAdder();
    final LongAdder errors = new LongAdder();
    final AtomicLong max = new AtomicLong();
    final long[] buckets = new long[300_001];

    void record(boolean ok, long nanos) {
      count.increment();
      if (!ok) {
        errors.increment();
      }
      max.accumulateAndGet(nanos, Math::max);
      int b = (int) Math.min(buckets.length - 1, nanos / 100_000);
      synchronized (buckets) {
        buckets[b]++;
      }
    }

    double percentile(double p) {
      long n = count.sum();
      if (n == 0) {
        return 0;
      }
      long want = (long) Math.ceil(p * n);
      long seen = 0;
      synchronized (buckets) {
        for (int i = 0; i < buckets.length; i++) {
          seen += buckets[i];
          if (seen >= want) {
            return (i + 1) * 100_000.0;
          }
        }
      }
      return max.get();
    }
  }
}
