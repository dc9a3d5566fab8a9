import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.keyhaven.keyserver.wot.Certification;
import org.keyhaven.keyserver.wot.EffectiveGraph;
import org.keyhaven.keyserver.wot.KeyValidity;
import org.keyhaven.keyserver.wot.Network;
import org.keyhaven.keyserver.wot.NetworkBuilder;
import org.keyhaven.keyserver.wot.Node;
import org.keyhaven.keyserver.wot.OwnerTrust;
import org.keyhaven.keyserver.wot.PathFinder;
import org.keyhaven.keyserver.wot.UserIdState;
import org.keyhaven.keyserver.wot.ValidityCalculator;
import org.keyhaven.keyserver.wot.WotParameters;
import org.keyhaven.keyserver.wot.WotResult;
import org.keyhaven.keyserver.wot.openpgp.KeyringNetworkReader;

/**
 * Web-of-trust benchmark (a main() timed over repeated runs, not a unit test). Part 1: a synthetic
 * network generated here (default 100,000 keys, 1,000,000 certifications). Part 2: GnuPG's
 * {@code --check-trustdb} on the 1,000-key oracle keyring side by side with our evaluation of the
 * same keyring, answers compared key by key and user ID by user ID with gpg's own listing.
 *
 * <p>Usage: {@code java WotBench [keys] [certs] [oracle-dir]}; see run.sh.
 */
public final class WotBench {

  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  public static void main(String[] args) throws Exception {
    int keys = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int certs = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
    Path oracle = args.length > 2 ? Path.of(args[2]) : null;
    System.out.printf(Locale.ROOT, "java %s, max heap %d MiB, %d cpus%n",
        System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20,
        Runtime.getRuntime().availableProcessors());
    synthetic(keys, certs);
    if (oracle != null && Files.isRegularFile(oracle.resolve("keyring.asc"))) {
      sideBySide(oracle);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // part 1: synthetic network

  static String fpr(int i) {
    return String.format(Locale.ROOT, "%040X", 0x1000000L + i);
  }

  static void synthetic(int n, int certs) {
    long t0 = System.nanoTime();
    Random rnd = new Random(42);
    NetworkBuilder b = new NetworkBuilder();
    Map<String, OwnerTrust> ot = new HashMap<>();
    OwnerTrust[] words = {OwnerTrust.FULL, OwnerTrust.MARGINAL, OwnerTrust.NEVER,
        OwnerTrust.UNDEFINED, OwnerTrust.UNKNOWN};
    double[] weights = {0.20, 0.35, 0.05, 0.05, 0.35};
    int roots = Math.max(2, n / 50);
    String[][] uids = new String[n][];
    for (int i = 0; i < n; i++) {
      String label = String.format(Locale.ROOT, "k%06d", i);
      boolean second = rnd.nextDouble() < 0.2;
      uids[i] = second
          ? new String[] {"WoT " + label + " <" + label + "@wot.test>",
              "WoT " + label + " (work) <" + label + "-work@wot.test>"}
          : new String[] {"WoT " + label + " <" + label + "@wot.test>"};
      Instant revoked = rnd.nextDouble() < 0.01 ? NOW.minusSeconds(86400) : null;
      Instant expires = revoked == null && rnd.nextDouble() < 0.01 ? NOW.minusSeconds(3600) : null;
      List<UserIdState> ids = new ArrayList<>();
      for (String u : uids[i]) {
        ids.add(UserIdState.of(u));
      }
      b.addNode(new Node(fpr(i), T0, expires, revoked, true, ids));
      if (i % (n / roots) == 0) {
        ot.put(fpr(i), OwnerTrust.ULTIMATE);
      } else {
        double r = rnd.nextDouble();
        int w = 0;
        while (w < weights.length - 1 && (r -= weights[w]) > 0) {
          w++;
        }
        if (words[w] != OwnerTrust.UNKNOWN) {
          ot.put(fpr(i), words[w]);
        }
      }
    }
    int made = 0;
    while (made < certs) {
      int t = rnd.nextInt(n);
      int s = rnd.nextDouble() < 0.6 && t > 0 ? Math.max(0, t - 1 - rnd.nextInt(25))
          : rnd.nextInt(n);
      if (s == t) {
        continue;
      }
      String uid = uids[t][rnd.nextInt(uids[t].length)];
      Instant when = T0.plusSeconds(3600 + rnd.nextInt(86400 * 300));
      double r = rnd.nextDouble();
      int level = r < 0.03 ? 1 : r < 0.08 ? 2 : r < 0.13 ? 3 : 0;
      Certification c = Certification.of(fpr(s), fpr(t), uid, when).withLevel(level);
      r = rnd.nextDouble();
      if (r < 0.03) {
        c = c.withExpiry(when.plusSeconds(1));
      }
      b.addCertification(c);
      made++;
      if (r >= 0.03 && r < 0.08 && made < certs) {
        b.addCertification(Certification.revocation(fpr(s), fpr(t), uid, when.plusSeconds(60)));
        made++;
      }
    }
    long generated = System.nanoTime();
    Network net = b.build();
    long built = System.nanoTime();
    b = null;
    System.out.printf(Locale.ROOT,
        "%nsynthetic network: %d keys, %d user IDs, %d certifications (%d roots)%n",
        net.keyCount(), net.userIdCount(), net.certificationCount(), roots);
    System.out.printf(Locale.ROOT, "  generate input %.0f ms, NetworkBuilder.build %.0f ms%n",
        ms(generated - t0), ms(built - generated));
    long heapNet = usedHeapAfterGc();
    System.out.printf(Locale.ROOT,
        "  heap in use with the network loaded: %d MiB (estimate of the network alone: %d MiB, "
            + "%.0f bytes/key)%n",
        heapNet >> 20, net.estimatedHeapBytes() >> 20,
        (double) net.estimatedHeapBytes() / net.keyCount());

    WotParameters p = WotParameters.defaults(NOW);
    WotResult result = null;
    double[] full = new double[12];
    double[] select = new double[full.length];
    for (int i = -3; i < full.length; i++) {
      long a = System.nanoTime();
      EffectiveGraph g = EffectiveGraph.of(net, NOW, p.minCertLevel());
      long m = System.nanoTime();
      result = ValidityCalculator.evaluate(g, ot, p);
      long z = System.nanoTime();
      if (i >= 0) {
        full[i] = ms(z - a);
        select[i] = ms(m - a);
      }
    }
    System.out.printf(Locale.ROOT,
        "  full evaluation (select certifications + validate), %d runs after 3 warm-up: "
            + "median %.0f ms, min %.0f, max %.0f (selection alone: median %.0f ms)%n",
        full.length, pct(full, 50), pct(full, 0), pct(full, 100), pct(select, 50));
    System.out.printf(Locale.ROOT, "  validity histogram: %s; depths: %s%n", result.histogram(),
        result.depthStats());
    System.out.printf(Locale.ROOT, "  heap in use after evaluation: %d MiB%n",
        usedHeapAfterGc() >> 20);

    // single-key queries against the cached result of the server's root
    Random q = new Random(7);
    int queries = 20_000;
    double[] keyQ = new double[queries];
    double[] explainQ = new double[queries];
    for (int i = 0; i < queries; i++) {
      String f = fpr(q.nextInt(n));
      long a = System.nanoTime();
      KeyValidity kv = result.key(f).orElseThrow();
      long m = System.nanoTime();
      result.explain(f).orElseThrow();
      long z = System.nanoTime();
      keyQ[i] = ms(m - a);
      explainQ[i] = ms(z - m);
      if (kv.validity() == null) {
        throw new IllegalStateException();
      }
    }
    System.out.printf(Locale.ROOT,
        "  single-key validity (%d random keys): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        queries, pct(keyQ, 50), pct(keyQ, 99), pct(keyQ, 100));
    System.out.printf(Locale.ROOT,
        "  explanation with paths to roots: p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        pct(explainQ, 50), pct(explainQ, 99), pct(explainQ, 100));

    double[] statsRuns = new double[3];
    org.keyhaven.keyserver.wot.NetworkStats st = null;
    for (int i = 0; i < statsRuns.length; i++) {
      long a = System.nanoTime();
      st = org.keyhaven.keyserver.wot.NetworkStats.of(result.graph(), 10);
      statsRuns[i] = ms(System.nanoTime() - a);
    }
    System.out.printf(Locale.ROOT,
        "  stats (strong set %d keys, %d reached, mean distance %.2f): %.0f / %.0f / %.0f ms%n",
        st.strongSetSize(), st.reachableFromStrongSet(), st.meanDistanceFromStrongSet(),
        statsRuns[0], statsRuns[1], statsRuns[2]);

    PathFinder finder = new PathFinder(result.graph());
    int pathQueries = 5_000;
    double[] pathQ = new double[pathQueries];
    int found = 0;
    for (int i = -500; i < pathQueries; i++) {
      String from = fpr(q.nextInt(n));
      String to = fpr(q.nextInt(n));
      long a = System.nanoTime();
      int paths = finder.shortestPaths(from, to, 5, 5).size();
      long z = System.nanoTime();
      if (i >= 0) {
        pathQ[i] = ms(z - a);
        found += paths > 0 ? 1 : 0;
      }
    }
    System.out.printf(Locale.ROOT,
        "  shortest paths (random pairs, max 5 hops, up to 5 paths; %d of %d connected): "
            + "p50 %.3f ms, p99 %.3f ms, max %.3f ms%n",
        found, pathQueries, pct(pathQ, 50), pct(pathQ, 99), pct(pathQ, 100));
  }

  // ---------------------------------------------------------------------------------------------
  // part 2: GnuPG side by side on the oracle keyring

  static void sideBySide(Path dir) throws Exception {
    System.out.printf(Locale.ROOT, "%nside by side on %s%n", dir);
    Path keyring = dir.resolve("keyring.asc");
    Map<String, String> params = readParams(dir.resolve("expected.json"));
    int completes = Integer.parseInt(params.get("completes_needed"));
    int marginals = Integer.parseInt(params.get("marginals_needed"));
    int depth = Integer.parseInt(params.get("max_cert_depth"));
    int level = Integer.parseInt(params.get("min_cert_level"));
    Instant at = Instant.ofEpochSecond(Long.parseLong(params.get("evaluated_at")));
    Map<String, OwnerTrust> ot = new HashMap<>();
    for (String line : Files.readAllLines(dir.resolve("ownertrust.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.split(":");
        ot.put(f[0], OwnerTrust.ofCode(Integer.parseInt(f[1])));
      }
    }
    Path home = Files.createTempDirectory(Path.of("/tmp"), "wb.");
    try {
      Files.writeString(home.resolve("gpg.conf"), String.format(Locale.ROOT,
          "trust-model %s%nmarginals-needed %d%ncompletes-needed %d%nmax-cert-depth %d%n"
              + "min-cert-level %d%n", params.get("trust_model"), marginals, completes, depth,
          level));
      Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions
          .fromString("rwx------"));
      gpg(home, "--batch", "--import", keyring.toString());
      gpg(home, "--batch", "--import-ownertrust", dir.resolve("ownertrust.txt").toString());
      String faked = "--faked-system-time=" + at.getEpochSecond() + "!";
      double[] gpgRuns = new double[3];
      for (int i = 0; i < gpgRuns.length; i++) {
        long a = System.nanoTime();
        gpg(home, "--batch", "--yes", faked, "--check-trustdb");
        gpgRuns[i] = ms(System.nanoTime() - a);
      }
      String listing = gpg(home, "--batch", faked, "--with-colons", "--list-keys");

      long a = System.nanoTime();
      Network net;
      try (InputStream in = Files.newInputStream(keyring)) {
        net = KeyringNetworkReader.addAll(new NetworkBuilder(), KeyringNetworkReader.read(in))
            .build();
      }
      double parse = ms(System.nanoTime() - a);
      WotParameters p = new WotParameters(completes, marginals, depth, level, at);
      WotResult r = null;
      double[] ours = new double[50];
      for (int i = -20; i < ours.length; i++) {
        long s = System.nanoTime();
        r = ValidityCalculator.evaluate(net, ot, p);
        if (i >= 0) {
          ours[i] = ms(System.nanoTime() - s);
        }
      }
      int[] cmp = compare(listing, r);
      System.out.printf(Locale.ROOT, "  gpg --check-trustdb --yes (3 runs): %.0f / %.0f / %.0f ms"
          + "%n", gpgRuns[0], gpgRuns[1], gpgRuns[2]);
      System.out.printf(Locale.ROOT,
          "  Keyhaven evaluation (50 runs after 20 warm-up): median %.3f ms, min %.3f, max %.3f;"
              + " one-off parse + signature verification of the keyring: %.0f ms%n",
          pct(ours, 50), pct(ours, 0), pct(ours, 100), parse);
      System.out.printf(Locale.ROOT, "  speed-up (median gpg / median ours): %.0fx%n",
          pct(gpgRuns, 50) / pct(ours, 50));
      System.out.printf(Locale.ROOT,
          "  answers vs gpg --list-keys: %d/%d keys and %d/%d user IDs identical%n", cmp[0],
          cmp[1], cmp[2], cmp[3]);
    } finally {
      ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", "all");
      pb.environment().put("GNUPGHOME", home.toString());
      pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
          .waitFor(10, TimeUnit.SECONDS);
      try (var walk = Files.walk(home)) {
        walk.sorted(java.util.Comparator.reverseOrder()).forEach(x -> x.toFile().delete());
      }
    }
  }

  /** Compares gpg's {@code pub}/{@code uid} validity letters with ours. */
  static int[] compare(String listing, WotResult r) {
    int keysSame = 0;
    int keys = 0;
    int uidsSame = 0;
    int uids = 0;
    String pubLetter = null;
    KeyValidity current = null;
    boolean wantFpr = false;
    for (String line : listing.split("\n")) {
      String[] f = line.split(":", -1);
      if (f[0].equals("pub")) {
        pubLetter = f[1];
        wantFpr = true;
      } else if (f[0].equals("fpr") && wantFpr) {
        wantFpr = false;
        current = r.key(f[9]).orElse(null);
        keys++;
        if (current != null && String.valueOf(current.validity().letter()).equals(pubLetter)) {
          keysSame++;
        }
      } else if (f[0].equals("sub")) {
        wantFpr = false;
      } else if (f[0].equals("uid") && current != null) {
        uids++;
        String uid = unescape(f[9]);
        for (KeyValidity.UserIdValidity u : current.userIds()) {
          if (u.userId().equals(uid) && String.valueOf(u.validity().letter()).equals(f[1])) {
            uidsSame++;
          }
        }
      }
    }
    return new int[] {keysSame, keys, uidsSame, uids};
  }

  static String unescape(String s) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) == '\\' && i + 3 < s.length() && s.charAt(i + 1) == 'x') {
        out.append((char) Integer.parseInt(s.substring(i + 2, i + 4), 16));
        i += 3;
      } else {
        out.append(s.charAt(i));
      }
    }
    return out.toString();
  }

  static String gpg(Path home, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--homedir", home.toString()));
    cmd.addAll(Arrays.asList(args));
    Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out;
    try (BufferedReader rd = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      out = String.join("\n", rd.lines().toList());
    }
    if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() > 2) {
      throw new IllegalStateException("gpg failed: " + cmd);
    }
    return out;
  }

  /** Reads the few scalar fields we need from expected.json without a JSON library. */
  static Map<String, String> readParams(Path expected) throws Exception {
    String json = Files.readString(expected);
    Map<String, String> out = new HashMap<>();
    for (String k : List.of("trust_model", "marginals_needed", "completes_needed",
        "max_cert_depth", "min_cert_level", "evaluated_at")) {
      var m = java.util.regex.Pattern.compile("\"" + k + "\":\\s*\"?([A-Za-z0-9]+)").matcher(json);
      if (!m.find()) {
        throw new IllegalStateException("no " + k + " in " + expected);
      }
      out.put(k, m.group(1));
    }
    return out;
  }

  // ---------------------------------------------------------------------------------------------

  static double ms(long nanos) {
    return nanos / 1e6;
  }

  static double pct(double[] values, double p) {
    double[] s = values.clone();
    Arrays.sort(s);
    int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }

  static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private WotBench() {}

}
