package org.keyhaven.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/**
 * Crash consistency: the server runs as a separate JVM ({@code keyhaven serve}, the production
 * entry point) while clients issue certificates, revoke them, upload OpenPGP keys and fetch CRLs;
 * it is killed with SIGKILL at a random moment of each burst ({@code keyhaven.crash.kills} times,
 * default 20, per database) and restarted on the same data. After every restart: no serial was
 * handed out twice, every certificate a client got (201) is there with the same bytes, every
 * acknowledged revocation (200) is revoked in OCSP and in the CRL, CRL numbers never go back and
 * never name two different CRLs, every acknowledged key upload is served over HKP, the embedded
 * LDAP directory agrees with the database, and the audit chain verifies.
 *
 * <p>Both halves run in CI (the PostgreSQL one fails under {@code CI=true} without PostgreSQL).
 * The H2 half found that H2 2.5.252 loses acknowledged commits on a kill (its file header names
 * the chunk before the newest one); H2 is pinned to 2.3.232 (docs/SECURITY.md, "H2 and SIGKILL").
 */
class CrashConsistencyTest {
  static final int KILLS = Integer.getInteger("keyhaven.crash.kills", 20);
  static final long SEED = Long.getLong("keyhaven.crash.seed", System.nanoTime());
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BASE_DN = "dc=example,dc=org";

  @Test
  void h2File_survivesRepeatedSigkill(@TempDir Path dir) throws Exception {
    new Run(dir, null, "h2").run();
  }

  @Test
  void postgres_survivesRepeatedSigkill(@TempDir Path dir) throws Exception {
    new Run(dir, TestDatabases.newPostgresDatabaseUrl(), "postgres").run();
  }

  /** What a client was told, accumulated over all cycles. */
  record Issued(String serial, String mail, byte[] der) {}

  static final class Run {
    final Path dir;
    final Path dataDir;
    final String dbUrl;
    final String name;
    final int httpPort = TestServer.freePort();
    final int ldapPort = TestServer.freePort();
    final String base = "http://127.0.0.1:" + httpPort;
    final Random rnd = new Random(SEED);
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    final Path cdsArchive;

    Process proc;
    String token;
    volatile X509CertificateHolder issuer;

    // Client-side truth.
    final Map<String, Issued> issued = new ConcurrentHashMap<>();
    final List<String> duplicateSerials = new CopyOnWriteArrayList<>();
    final Set<String> revokeAttempted = ConcurrentHashMap.newKeySet();
    final Set<String> revokedAck = ConcurrentHashMap.newKeySet();
    final Map<String, byte[]> keysAck = new ConcurrentHashMap<>();
    final Map<String, Long> ackNanos = new ConcurrentHashMap<>();
    volatile long killNanos;
    final Map<BigInteger, String> crlDigestByNumber = new ConcurrentHashMap<>();
    final List<String> crlConflicts = new CopyOnWriteArrayList<>();
    final List<String> serverErrors = new CopyOnWriteArrayList<>();
    final Set<String> revokedChecked = new HashSet<>();
    final Set<String> issuedChecked = new HashSet<>();
    final AtomicInteger keySeq = new AtomicInteger();
    final AtomicInteger mailSeq = new AtomicInteger();
    volatile BigInteger maxCrlNumber = BigInteger.valueOf(-1);
    long readyMsTotal;
    long burstMsTotal;
    long checkMsTotal;
    int starts;

    Run(Path dir, String dbUrl, String name) {
      this.dir = dir;
      this.dataDir = dir.resolve("data");
      this.dbUrl = dbUrl;
      this.name = name;
      this.cdsArchive = dir.resolve("cds.jsa");
    }

    void run() throws Exception {
      long t0 = System.nanoTime();
      // First start creates the hierarchy; a clean stop writes a class-data archive that makes
      // the 20 restarts faster (the launcher does the same).
      start(true);
      token = Files.readString(dataDir.resolve("admin-token")).strip();
      proc.destroy();
      assertThat(proc.waitFor(30, TimeUnit.SECONDS)).isTrue();
      start(false);
      check(0);
      try {
        for (int cycle = 1; cycle <= KILLS; cycle++) {
          long b0 = System.nanoTime();
          burstThenKill(cycle);
          burstMsTotal += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - b0);
          start(false);
          long c0 = System.nanoTime();
          try {
            check(cycle);
          } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + databaseFacts(), e);
          }
          checkMsTotal += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - c0);
        }
      } finally {
        proc.destroy();
        proc.waitFor(30, TimeUnit.SECONDS);
        Files.copy(dir.resolve("server.log"), Path.of("target", "crash-consistency-" + name
            + "-server.log"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      long secs = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
      String summary = String.format("crash-consistency %s: %d SIGKILLs in %d s (seed %d); "
              + "%d certificates acknowledged, %d revocations acknowledged, %d keys acknowledged, "
              + "highest CRL number %s; mean per cycle: start to ready %d ms, load burst %d ms, "
              + "checks %d ms", name, KILLS, secs, SEED, issued.size(), revokedAck.size(),
          keysAck.size(), maxCrlNumber, readyMsTotal / starts, burstMsTotal / Math.max(1, KILLS),
          checkMsTotal / Math.max(1, KILLS));
      System.out.println(summary);
      Files.writeString(Path.of("target", "crash-consistency-" + name + ".txt"), summary + "\n");
      assertThat(issued).as("the load produced issuances").hasSizeGreaterThan(KILLS);
      assertThat(revokedAck).as("the load produced revocations").isNotEmpty();
      assertThat(keysAck).as("the load produced key uploads").isNotEmpty();
    }

    /** On a failure: stop the server and read the database directly, for the report. */
    String databaseFacts() {
      proc.destroyForcibly();
      try {
        proc.waitFor(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      String url = dbUrl != null ? dbUrl : "jdbc:h2:file:" + dataDir.toAbsolutePath()
          .resolve("keyhaven") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;"
          + "DEFAULT_NULL_ORDERING=HIGH";
      StringBuilder out = new StringBuilder("database after the failure:");
      try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "");
          java.sql.Statement st = c.createStatement()) {
        Set<String> stored = new HashSet<>();
        try (java.sql.ResultSet rs = st.executeQuery("SELECT fingerprint FROM ks_key")) {
          while (rs.next()) {
            stored.add(rs.getString(1).toUpperCase());
          }
        }
        List<String> missing = keysAck.keySet().stream().filter(k -> !stored.contains(k)).toList();
        out.append(" ks_key rows ").append(stored.size()).append(", acknowledged keys missing ")
            .append(missing.stream().map(k -> k + " (acknowledged "
                + (killNanos - ackNanos.getOrDefault(k, 0L)) / 1_000_000 + " ms before the kill)")
                .toList());
        try (java.sql.ResultSet rs = st.executeQuery(
            "SELECT last_number FROM crl_sequence WHERE ca_id = 'ca-mail'")) {
          out.append("; crl_sequence ca-mail ").append(rs.next() ? rs.getLong(1) : -1);
        }
        try (java.sql.ResultSet rs = st.executeQuery("SELECT crl_number, kind, this_update"
            + " FROM crl WHERE ca_id = 'ca-mail' ORDER BY crl_number DESC LIMIT 5")) {
          while (rs.next()) {
            out.append("; crl ").append(rs.getLong(1)).append(' ').append(rs.getString(2))
                .append(' ').append(rs.getString(3));
          }
        }
        Set<String> certs = new HashSet<>();
        try (java.sql.ResultSet rs = st.executeQuery("SELECT serial FROM certificate")) {
          while (rs.next()) {
            certs.add(rs.getString(1));
          }
        }
        out.append("; acknowledged certificates missing ").append(issued.keySet().stream()
            .filter(x -> !certs.contains(x)).toList());
      } catch (Exception e) {
        out.append(" (could not read: ").append(e).append(')');
      }
      return out.toString();
    }

    void start(boolean first) throws Exception {
      List<String> cmd = new ArrayList<>(List.of(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(),
          "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
          "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
      if (first) {
        cmd.add("-XX:ArchiveClassesAtExit=" + cdsArchive);
      } else if (Files.exists(cdsArchive)) {
        cmd.add("-XX:SharedArchiveFile=" + cdsArchive);
      }
      cmd.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
          "-cp", System.getProperty("java.class.path"), "org.keyhaven.server.Main", "serve",
          "--data-dir", dataDir.toString(), "--http-port", Integer.toString(httpPort),
          "--hkp-port", "0", "--ldap-port", Integer.toString(ldapPort)));
      if (dbUrl != null) {
        cmd.addAll(List.of("--db-url", dbUrl));
      }
      ProcessBuilder pb = new ProcessBuilder(cmd)
          .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("server.log").toFile()));
      long t0 = System.nanoTime();
      proc = pb.start();
      starts++;
      Process p = proc;
      if (!org.keyhaven.server.ReadyLine.await(p, 90, "crash-stdout")) {
        p.destroyForcibly();
        throw new AssertionError("server did not become ready after restart " + starts
            + "; log tail:\n" + tail(dir.resolve("server.log")));
      }
      readyMsTotal += TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    static String tail(Path log) {
      try {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
      } catch (IOException e) {
        return "(no log: " + e + ")";
      }
    }

    /** Load from several clients, SIGKILL at a random moment, wait for the clients to notice. */
    void burstThenKill(int cycle) throws Exception {
      AtomicBoolean stop = new AtomicBoolean();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        clients.add(client(stop, () -> issueOne(cycle)));
      }
      clients.add(client(stop, this::revokeOne));
      clients.add(client(stop, this::uploadOne));
      clients.add(client(stop, () -> {
        fetchCrl();
        Thread.sleep(50);
      }));
      clients.forEach(Thread::start);
      Thread.sleep(200 + rnd.nextInt(1300));
      killNanos = System.nanoTime();
      proc.destroyForcibly(); // SIGKILL on Linux
      assertThat(proc.waitFor(30, TimeUnit.SECONDS)).isTrue();
      stop.set(true);
      for (Thread t : clients) {
        t.join(30_000);
        assertThat(t.isAlive()).as("client stopped after the kill").isFalse();
      }
    }

    interface Step {
      void run() throws Exception;
    }

    Thread client(AtomicBoolean stop, Step step) {
      Thread t = new Thread(() -> {
        while (!stop.get()) {
          try {
            step.run();
          } catch (IOException e) {
            // connection refused or reset by the kill: the outcome is unknown, nothing recorded
            try {
              Thread.sleep(20);
            } catch (InterruptedException ie) {
              return;
            }
          } catch (InterruptedException e) {
            return;
          } catch (Exception e) {
            serverErrors.add(e.toString());
            return;
          }
        }
      }, "crash-client");
      t.setDaemon(true);
      return t;
    }

    HttpResponse<byte[]> send(String method, String path, String contentType, byte[] body,
        boolean auth) throws IOException, InterruptedException {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
          .timeout(Duration.ofSeconds(30))
          .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      if (auth) {
        b.header("Authorization", "Bearer " + token);
      }
      if (contentType != null) {
        b.header("Content-Type", contentType);
      }
      HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() >= 500) {
        serverErrors.add(method + " " + path + " -> " + r.statusCode() + " "
            + new String(r.body(), StandardCharsets.UTF_8));
      }
      return r;
    }

    void issueOne(int cycle) throws Exception {
      String mail = "c" + cycle + "-" + mailSeq.incrementAndGet() + "@example.org";
      String body = JSON.writeValueAsString(Map.of("csr", csr(mail), "profile", "smime-sign"));
      HttpResponse<byte[]> r = send("POST", "/api/v1/cas/ca-mail/certificates",
          "application/json", body.getBytes(StandardCharsets.UTF_8), true);
      if (r.statusCode() != 201) {
        return;
      }
      JsonNode n = JSON.readTree(r.body());
      String serial = n.get("serial").asText();
      X509CertificateHolder cert = pem(n.get("certificate").asText());
      if (issuer == null) {
        issuer = pem(n.get("chain").get(0).asText());
      }
      if (issued.putIfAbsent(serial, new Issued(serial, mail, cert.getEncoded())) != null) {
        duplicateSerials.add(serial);
      }
    }

    void revokeOne() throws Exception {
      List<String> candidates = new ArrayList<>(issued.keySet());
      candidates.removeAll(revokeAttempted);
      if (candidates.isEmpty()) {
        Thread.sleep(20);
        return;
      }
      String serial = candidates.get(rnd.nextInt(candidates.size()));
      revokeAttempted.add(serial);
      HttpResponse<byte[]> r = send("POST", "/api/v1/certificates/" + serial + "/revoke",
          "application/json", "{\"reason\":\"keyCompromise\"}".getBytes(StandardCharsets.UTF_8),
          true);
      if (r.statusCode() == 200) {
        revokedAck.add(serial);
      } else {
        serverErrors.add("revoke " + serial + " -> " + r.statusCode() + " "
            + new String(r.body(), StandardCharsets.UTF_8));
      }
      Thread.sleep(30);
    }

    void uploadOne() throws Exception {
      int k = keySeq.incrementAndGet();
      var id = SyntheticKeys.identity(name + "-crash-" + SEED + "-" + k,
          "Crash " + k + " <k" + k + "@example.org>", Instant.parse("2026-01-01T00:00:00Z"));
      byte[] key = SyntheticKeys.publicKey(id);
      HttpResponse<byte[]> r = send("POST", "/pks/add", "application/pgp-keys", key, false);
      if (r.statusCode() == 200) {
        String fpr = HexFormat.of().withUpperCase().formatHex(id.publicKey().getFingerprint());
        ackNanos.put(fpr, System.nanoTime());
        keysAck.put(fpr, key);
      }
      Thread.sleep(20);
    }

    /** Fetches the full CRL and records its number; returns it parsed. */
    X509CRLHolder fetchCrl() throws Exception {
      HttpResponse<byte[]> r = send("GET", "/crl/ca-mail.crl", null, null, false);
      assertThat(r.statusCode()).isEqualTo(200);
      X509CRLHolder crl = new X509CRLHolder(r.body());
      BigInteger number = ASN1Integer.getInstance(
          crl.getExtension(Extension.cRLNumber).getParsedValue()).getValue();
      // The signed content (ECDSA signatures differ on every signing, so not the whole DER).
      String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
          .digest(crl.toASN1Structure().getTBSCertList().getEncoded()));
      String seen = digest + " (thisUpdate " + crl.getThisUpdate().toInstant() + ", "
          + crl.getRevokedCertificates().size() + " entries, start " + starts + ")";
      String before = crlDigestByNumber.putIfAbsent(number, seen);
      if (before != null && !before.substring(0, 64).equals(digest)) {
        crlConflicts.add("CRL number " + number + " names two different CRLs: " + before
            + " and " + seen);
      }
      synchronized (this) {
        if (number.compareTo(maxCrlNumber) > 0) {
          maxCrlNumber = number;
        }
      }
      return crl;
    }

    void check(int cycle) throws Exception {
      String at = name + " after kill " + cycle + " (seed " + SEED + ")";
      assertThat(serverErrors).as(at + ": 5xx or unexpected answers").isEmpty();
      assertThat(duplicateSerials).as(at + ": serials handed out twice").isEmpty();

      // Every certificate a client got is in the database with the same bytes; no serial twice.
      Map<String, String> statusBySerial = new HashMap<>();
      Map<String, List<String>> mailsBySerial = new HashMap<>();
      int offset = 0;
      while (true) {
        HttpResponse<byte[]> r = send("GET", "/api/v1/certificates?ca=ca-mail&limit=100&offset="
            + offset, null, null, true);
        assertThat(r.statusCode()).as(at).isEqualTo(200);
        JsonNode page = JSON.readTree(r.body());
        for (JsonNode c : page.get("items")) {
          String serial = c.get("serial").asText();
          assertThat(statusBySerial.put(serial, c.get("status").asText()))
              .as(at + ": serial %s listed twice", serial).isNull();
          List<String> mails = new ArrayList<>();
          c.get("emails").forEach(e -> mails.add(e.asText()));
          mailsBySerial.put(serial, mails);
        }
        JsonNode next = page.get("nextOffset");
        if (next == null || next.isNull()) {
          break;
        }
        offset = next.asInt();
      }
      assertThat(statusBySerial.keySet()).as(at + ": acknowledged certificates in the database")
          .containsAll(issued.keySet());
      for (Issued c : issued.values()) {
        if (issuedChecked.add(c.serial())) {
          HttpResponse<byte[]> der = send("GET", "/api/v1/certificates/" + c.serial() + ".der",
              null, null, true);
          assertThat(der.statusCode()).as(at).isEqualTo(200);
          assertThat(der.body()).as(at + ": stored bytes of " + c.serial()).isEqualTo(c.der());
        }
      }

      // Every acknowledged revocation: revoked in the database, in the next CRL and in OCSP.
      for (String serial : revokedAck) {
        assertThat(statusBySerial.get(serial)).as(at + ": status of revoked " + serial)
            .isEqualTo("revoked");
      }
      BigInteger before = maxCrlNumber;
      X509CRLHolder crl = fetchCrl();
      BigInteger number = ASN1Integer.getInstance(
          crl.getExtension(Extension.cRLNumber).getParsedValue()).getValue();
      assertThat(number).as(at + ": CRL number never goes back").isGreaterThanOrEqualTo(before);
      assertThat(crlConflicts).as(at).isEmpty();
      Set<BigInteger> onCrl = new HashSet<>();
      crl.getRevokedCertificates().forEach(e ->
          onCrl.add(((org.bouncycastle.cert.X509CRLEntryHolder) e).getSerialNumber()));
      for (String serial : revokedAck) {
        assertThat(onCrl).as(at + ": CRL %s lists revoked %s", number, serial)
            .contains(new BigInteger(serial, 16));
      }
      if (issuer != null) {
        List<String> toAsk = new ArrayList<>();
        for (String s : revokedAck) {
          if (revokedChecked.add(s)) {
            toAsk.add(s); // each acknowledged revocation is asked right after the next kill
          }
        }
        List<String> older = new ArrayList<>(revokedChecked);
        older.removeAll(toAsk);
        Collections.shuffle(older, rnd);
        toAsk.addAll(older.subList(0, Math.min(5, older.size())));
        for (String s : toAsk) {
          assertThat(ocspRevoked(s)).as(at + ": OCSP for revoked " + s).isTrue();
        }
        List<String> good = statusBySerial.entrySet().stream()
            .filter(e -> e.getValue().equals("good") && issued.containsKey(e.getKey()))
            .map(Map.Entry::getKey).limit(3).toList();
        for (String s : good) {
          assertThat(ocspRevoked(s)).as(at + ": OCSP for good " + s).isFalse();
        }
      }

      // Every acknowledged key upload is served.
      for (String fpr : keysAck.keySet()) {
        HttpResponse<byte[]> r = send("GET", "/pks/lookup?op=get&options=mr&search=0x" + fpr,
            null, null, false);
        assertThat(r.statusCode()).as(at + ": HKP lookup of acknowledged key " + fpr
                + " (acknowledged " + (killNanos - ackNanos.getOrDefault(fpr, 0L)) / 1_000_000
                + " ms before the last kill; " + new String(r.body(), StandardCharsets.UTF_8) + ")")
            .isEqualTo(200);
      }

      // The directory catches up with the database: good certificates published, revoked gone.
      Map<String, byte[]> derBySerial = new HashMap<>();
      issued.values().forEach(c -> derBySerial.put(c.serial(), c.der()));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      List<String> mismatches;
      do {
        mismatches = directoryMismatches(statusBySerial, mailsBySerial, derBySerial);
        if (mismatches.isEmpty()) {
          break;
        }
        Thread.sleep(200);
      } while (System.nanoTime() < deadline);
      assertThat(mismatches).as(at + ": directory vs database").isEmpty();

      // The audit chain is intact.
      HttpResponse<byte[]> v = send("GET", "/api/v1/audit/verify", null, null, true);
      assertThat(v.statusCode()).as(at).isEqualTo(200);
      JsonNode verify = JSON.readTree(v.body());
      assertThat(verify.toString()).as(at + ": audit verify").contains("\"intact\":true");
    }

    List<String> directoryMismatches(Map<String, String> statusBySerial,
        Map<String, List<String>> mailsBySerial, Map<String, byte[]> derBySerial)
        throws Exception {
      Map<String, Set<String>> published = new HashMap<>(); // mail -> DER digests
      try (LDAPConnection c = new LDAPConnection("127.0.0.1", ldapPort)) {
        // One search per cycle's mailboxes (c<cycle>-<n>@…): all of them at once can pass the
        // directory's size limit of 1,000 entries when issuance is fast.
        List<SearchResultEntry> entries = new ArrayList<>();
        for (int cyc = 0; cyc <= KILLS + 1; cyc++) {
          entries.addAll(c.search(BASE_DN, SearchScope.SUB, "(mail=c" + cyc + "-*)", "mail",
              "userCertificate;binary").getSearchEntries());
        }
        for (SearchResultEntry e : entries) {
          Set<String> ders = new HashSet<>();
          for (Attribute a : e.getAttributes()) {
            if (a.getBaseName().equalsIgnoreCase("userCertificate")) {
              for (byte[] b : a.getValueByteArrays()) {
                ders.add(HexFormat.of().formatHex(sha256(b)));
              }
            }
          }
          for (String m : e.getAttributeValues("mail") == null ? new String[0]
              : e.getAttributeValues("mail")) {
            published.computeIfAbsent(m.toLowerCase(), k -> new HashSet<>()).addAll(ders);
          }
        }
      }
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, String> e : new TreeMap<>(statusBySerial).entrySet()) {
        byte[] der = derBySerial.get(e.getKey());
        if (der == null) {
          continue; // issued but the answer was lost in the kill: we do not know its bytes
        }
        String d = HexFormat.of().formatHex(sha256(der));
        for (String mail : mailsBySerial.get(e.getKey())) {
          boolean there = published.getOrDefault(mail.toLowerCase(), Set.of()).contains(d);
          if (e.getValue().equals("good") && !there) {
            out.add(e.getKey() + " (" + mail + ") good but not in the directory");
          } else if (e.getValue().equals("revoked") && there) {
            out.add(e.getKey() + " (" + mail + ") revoked but still in the directory");
          }
        }
      }
      return out;
    }

    boolean ocspRevoked(String serialHex) throws Exception {
      var digest = new JcaDigestCalculatorProviderBuilder().build()
          .get(CertificateID.HASH_SHA1);
      CertificateID id = new CertificateID(digest, issuer, new BigInteger(serialHex, 16));
      byte[] req = new OCSPReqBuilder().addRequest(id).build().getEncoded();
      HttpResponse<byte[]> r = send("POST", "/ocsp", "application/ocsp-request", req, false);
      assertThat(r.statusCode()).isEqualTo(200);
      OCSPResp resp = new OCSPResp(r.body());
      assertThat(resp.getStatus()).as("OCSP response status for " + serialHex).isZero();
      SingleResp single = ((BasicOCSPResp) resp.getResponseObject()).getResponses()[0];
      assertThat(single.getCertID().getSerialNumber()).isEqualTo(new BigInteger(serialHex, 16));
      if (single.getCertStatus() instanceof RevokedStatus) {
        return true;
      }
      assertThat(single.getCertStatus()).as("OCSP status of " + serialHex + " is good").isNull();
      return false;
    }
  }

  static byte[] sha256(byte[] b) throws Exception {
    return MessageDigest.getInstance("SHA-256").digest(b);
  }

  static X509CertificateHolder pem(String pem) throws IOException {
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

  /** A PKCS#10 request for an S/MIME signing certificate for {@code mail}. */
  static String csr(String mail) throws Exception {
    KeyPair kp = EC.get().generateKeyPair();
    ExtensionsGenerator ext = new ExtensionsGenerator();
    ext.addExtension(Extension.subjectAlternativeName, false,
        new GeneralNames(new GeneralName(GeneralName.rfc822Name, mail)));
    PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(
        new X500Name("O=Example Org,CN=Crash Test"), kp.getPublic())
        .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
    java.io.StringWriter w = new java.io.StringWriter();
    try (JcaPEMWriter pw = new JcaPEMWriter(w)) {
      pw.writeObject(req);
    }
    return w.toString();
  }
}
