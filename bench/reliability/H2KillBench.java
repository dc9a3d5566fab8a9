import java.io.*;
import java.nio.file.*;
import java.security.MessageDigest;
import java.sql.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;

/**
 * H2 durability under SIGKILL, without the server (bench/reliability/h2-kill.sh). A child JVM
 * opens the H2 file database with the server's URL settings (WRITE_DELAY=0 included) and runs
 * writer threads that print "A key n [hash]" only after {@code commit()} returned. The parent
 * SIGKILLs the child, starts the next child on the same file, and compares what the new child
 * finds at start-up ("S key n", "B n hash", "T torn ...") with what the killed one acknowledged
 * (it also prints "P key n" just before each {@code commit()}, so a TORN line says whether the
 * torn transaction had started its commit):
 * LOST = an acknowledged counter, row or blob is missing; DUP = a blob number acknowledged with
 * one content is there with another (the CRL symptom); TORN = table scan, indexes and counters
 * disagree (a transaction half there).
 *
 * <p>Workloads (env H2KILL_WORKLOAD):
 *
 * <ul>
 *   <li>{@code mix} (the original): THREADS writers; each transaction bumps the writer's counter
 *       in {@code seq}, inserts a 0.2-60 KB row into {@code k} (two secondary indexes), sometimes
 *       rewrites an older row, appends to {@code aud}. Kills 0.2-1.5 s after READY.
 *   <li>{@code crl} (default; the server's pattern): THREADS-1 issuers each commit 1-8 rows of
 *       1-2 KiB into {@code cert} (secondary index) plus their counter per transaction (group
 *       commit), and one CRL writer does what {@code JdbcCrlStore.issue} does: {@code UPDATE
 *       crl_sequence SET last_number = last_number + 1}, insert a 10-50 KiB {@code crl} row,
 *       delete rows older than number-20, commit, every 0-60 ms. The kill comes at a random
 *       moment 0.1-1.5 s after READY (40 %), right after the next acknowledged CRL once 0.1-1.5 s
 *       have passed (40 %), or right after the next acknowledged commit of any kind (20 %).
 * </ul>
 *
 * <p>H2KILL_SYNC=1: after every commit the writer also calls {@code MVStore.commit()} on the
 * database's store (the "positive WRITE_DELAY + synchronous store" idea; pass e.g.
 * {@code ;WRITE_DELAY=500} as extraUrl); H2KILL_SYNC=2: and then waits for H2's serialization and
 * write executors ({@code MVStore.executeFilestoreOperation} with a no-op). The child prints the
 * chunk fill rates at READY.
 *
 * <p>child mode: {@code child <dir> <threads> [extraUrl]}; parent mode:
 * {@code parent <dir> <kills> <threads> [extraUrl]}. The file before each start is kept as
 * pre.mv.db (lost.mv.db / torn.mv.db at the first failure) for MVStoreTool -dump.
 */
public class H2KillBench {
  static final String WORKLOAD = Objects.requireNonNullElse(System.getenv("H2KILL_WORKLOAD"), "crl");
  /** 0: nothing after commit; 1: MVStore.commit(); 2: MVStore.commit() and wait for H2's write executors. */
  static final int SYNC_MODE = Integer.parseInt(Objects.requireNonNullElse(System.getenv("H2KILL_SYNC"), "0"));
  static final boolean SYNC = SYNC_MODE > 0;

  static String url(String dir, String extra) {
    String base = "jdbc:h2:file:" + dir + "/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=256";
    // The production URL has WRITE_DELAY=0; an extra WRITE_DELAY replaces it (H2 refuses a setting twice).
    return base + (extra.toUpperCase().contains("WRITE_DELAY") ? "" : ";WRITE_DELAY=0") + extra;
  }

  public static void main(String[] a) throws Exception {
    if (a[0].equals("child")) child(a[1], Integer.parseInt(a[2]), a.length > 3 ? a[3] : "");
    else parent(a[1], Integer.parseInt(a[2]), Integer.parseInt(a[3]), a.length > 4 ? a[4] : "");
  }

  /** After commit: store synchronously through the database's MVStore (H2KILL_SYNC=1). */
  static void syncStore(Connection c) throws SQLException {
    if (!SYNC) return;
    org.h2.engine.SessionLocal s = (org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession();
    org.h2.mvstore.MVStore mv = s.getDatabase().getStore().getMvStore();
    mv.commit();
    // With a positive WRITE_DELAY H2 serializes and writes chunks on two executor threads; a store
    // started by the background thread (or by H2's own tryCommit) may have taken our changes and
    // still be queued, and then commit() finds nothing unsaved and returns at once. This waits
    // for both executors (the no-op runs after everything queued before it).
    if (SYNC_MODE == 2) mv.executeFilestoreOperation(() -> {});
  }

  static String hash(byte[] b) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(b);
    return HexFormat.of().formatHex(d, 0, 8);
  }

  static void child(String dir, int threads, String extra) throws Exception {
    String url = url(dir, extra);
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      Statement s = c.createStatement();
      StringBuilder sb = new StringBuilder();
      if (WORKLOAD.equals("mix")) {
        s.execute("create table if not exists k(id varchar(64) primary key, t int not null, n bigint not null, a bytea not null, b bytea not null)");
        s.execute("create table if not exists seq(t int primary key, n bigint not null)");
        s.execute("create table if not exists aud(id bigint generated by default as identity primary key, t int not null, n bigint not null, h bytea not null)");
        s.execute("create index if not exists k_t on k(t, n)");
        for (int t = 0; t < threads; t++) s.execute("merge into seq key(t) select " + t + ", 0 where not exists(select 1 from seq where t = " + t + ")");
        try (ResultSet rs = s.executeQuery("select s.t, s.n, (select count(*) from k where k.t = s.t), (select count(*) from k use index () where k.t = s.t), (select count(*) from aud use index () where aud.t = s.t), (select count(*) from k where k.id like s.t || '-%') from seq s")) {
          while (rs.next()) {
            long n = rs.getLong(2);
            sb.append("S w").append(rs.getInt(1)).append(' ').append(Math.min(n, rs.getLong(3))).append('\n');
            if (!(n == rs.getLong(3) && n == rs.getLong(4) && n == rs.getLong(5) && n == rs.getLong(6)))
              sb.append("T writer ").append(rs.getInt(1)).append(" seq/index/scan/aud/like ").append(n).append(' ').append(rs.getLong(3)).append(' ').append(rs.getLong(4)).append(' ').append(rs.getLong(5)).append(' ').append(rs.getLong(6)).append('\n');
          }
        }
      } else {
        s.execute("create table if not exists cert(id varchar(64) primary key, t int not null, n bigint not null, der bytea not null)");
        s.execute("create index if not exists cert_t on cert(t, n)");
        s.execute("create table if not exists seq(t int primary key, n bigint not null)");
        s.execute("create table if not exists crl_sequence(ca_id varchar(63) primary key, last_number bigint not null)");
        s.execute("create table if not exists crl(ca_id varchar(63) not null, crl_number bigint not null, kind varchar(10) not null, der bytea not null, constraint crl_pk primary key(ca_id, crl_number))");
        s.execute("create index if not exists crl_latest_ix on crl(ca_id, kind, crl_number)");
        s.execute("merge into crl_sequence key(ca_id) select 'ca', 0 where not exists(select 1 from crl_sequence)");
        for (int t = 0; t < threads; t++) s.execute("merge into seq key(t) select " + t + ", 0 where not exists(select 1 from seq where t = " + t + ")");
        try (ResultSet rs = s.executeQuery("select s.t, s.n, (select count(*) from cert where cert.t = s.t), (select count(*) from cert use index () where cert.t = s.t), (select count(*) from cert where cert.id like s.t || '-%') from seq s")) {
          while (rs.next()) {
            long n = rs.getLong(2);
            sb.append("S w").append(rs.getInt(1)).append(' ').append(Math.min(n, rs.getLong(3))).append('\n');
            if (!(n == rs.getLong(3) && n == rs.getLong(4) && n == rs.getLong(5)))
              sb.append("T writer ").append(rs.getInt(1)).append(" seq/index/scan/like ").append(n).append(' ').append(rs.getLong(3)).append(' ').append(rs.getLong(4)).append(' ').append(rs.getLong(5)).append('\n');
          }
        }
        long last;
        try (ResultSet rs = s.executeQuery("select last_number from crl_sequence where ca_id = 'ca'")) { rs.next(); last = rs.getLong(1); }
        sb.append("S crl ").append(last).append('\n');
        long max = 0, viaIndex = 0, rows = 0;
        try (ResultSet rs = s.executeQuery("select crl_number, der from crl use index () order by crl_number")) {
          while (rs.next()) { rows++; max = rs.getLong(1); sb.append("B ").append(rs.getLong(1)).append(' ').append(hash(rs.getBytes(2))).append('\n'); }
        }
        try (ResultSet rs = s.executeQuery("select count(*) from crl where ca_id = 'ca' and kind = 'full'")) { rs.next(); viaIndex = rs.getLong(1); }
        if (last > 0 && (max != last || viaIndex != rows)) sb.append("T crl last_number ").append(last).append(" max row ").append(max).append(" rows scan/index ").append(rows).append('/').append(viaIndex).append('\n');
      }
      System.out.print(sb);
      if (SYNC || System.getenv("H2KILL_STATS") != null) {
        org.h2.mvstore.MVStore st = ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
        System.out.println("I fill " + st.getFillRate() + " chunksFill " + st.getFileStore().getChunksFillRate() + " fileFill " + st.getFileStore().getFillRate());
      }
      System.out.println("READY"); System.out.flush();
    }
    PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
    Object outLock = new Object();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final int tid = t;
      Runnable body = WORKLOAD.equals("mix") ? () -> mixWriter(url, tid, out, outLock)
          : tid == threads - 1 ? () -> crlWriter(url, out, outLock) : () -> certWriter(url, tid, out, outLock);
      Thread th = new Thread(body);
      th.start();
      ts.add(th);
    }
    System.err.println("child started");
    for (Thread th : ts) th.join();
  }

  static void mixWriter(String url, int tid, PrintStream out, Object outLock) {
    Random rnd = new Random();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.setAutoCommit(false);
      PreparedStatement sel = c.prepareStatement("select n from seq where t = ? for update");
      PreparedStatement upd = c.prepareStatement("update seq set n = ? where t = ?");
      PreparedStatement ins = c.prepareStatement("insert into k(id, t, n, a, b) values(?,?,?,?,?)");
      PreparedStatement mod = c.prepareStatement("update k set b = ? where id = ?");
      PreparedStatement aud = c.prepareStatement("insert into aud(t, n, h) values(?,?,?)");
      while (true) {
        sel.setInt(1, tid);
        long n;
        try (ResultSet rs = sel.executeQuery()) { rs.next(); n = rs.getLong(1) + 1; }
        upd.setLong(1, n); upd.setInt(2, tid); upd.executeUpdate();
        byte[] x = new byte[200 + rnd.nextInt(rnd.nextInt(10) == 0 ? 60000 : 4000)];
        rnd.nextBytes(x);
        ins.setString(1, tid + "-" + n); ins.setInt(2, tid); ins.setLong(3, n); ins.setBytes(4, x); ins.setBytes(5, x);
        ins.executeUpdate();
        if (n > 3 && rnd.nextBoolean()) {
          byte[] y = new byte[100 + rnd.nextInt(8000)]; rnd.nextBytes(y);
          mod.setBytes(1, y); mod.setString(2, tid + "-" + (1 + rnd.nextInt((int) n - 1))); mod.executeUpdate();
        }
        byte[] h = new byte[32]; rnd.nextBytes(h);
        aud.setInt(1, tid); aud.setLong(2, n); aud.setBytes(3, h); aud.executeUpdate();
        c.commit();
        syncStore(c);
        synchronized (outLock) { out.println("A w" + tid + " " + n); out.flush(); }
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  /** Group-commit-like issuance: 1-8 certificate rows of 1-2 KiB and the writer's counter. */
  static void certWriter(String url, int tid, PrintStream out, Object outLock) {
    Random rnd = new Random();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.setAutoCommit(false);
      PreparedStatement sel = c.prepareStatement("select n from seq where t = ?");
      PreparedStatement upd = c.prepareStatement("update seq set n = ? where t = ?");
      PreparedStatement ins = c.prepareStatement("insert into cert(id, t, n, der) values(?,?,?,?)");
      while (true) {
        sel.setInt(1, tid);
        long n;
        try (ResultSet rs = sel.executeQuery()) { rs.next(); n = rs.getLong(1); }
        int k = 1 + rnd.nextInt(8);
        for (int i = 0; i < k; i++) {
          n++;
          byte[] x = new byte[1024 + rnd.nextInt(1024)];
          rnd.nextBytes(x);
          ins.setString(1, tid + "-" + n); ins.setInt(2, tid); ins.setLong(3, n); ins.setBytes(4, x);
          ins.executeUpdate();
        }
        upd.setLong(1, n); upd.setInt(2, tid); upd.executeUpdate();
        synchronized (outLock) { out.println("P w" + tid + " " + n); out.flush(); } // commit() starts
        c.commit();
        syncStore(c);
        synchronized (outLock) { out.println("A w" + tid + " " + n); out.flush(); }
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  /** JdbcCrlStore.issue: counter + 10-50 KiB blob + delete of old blobs in one transaction. */
  static void crlWriter(String url, PrintStream out, Object outLock) {
    Random rnd = new Random();
    try (Connection c = DriverManager.getConnection(url, "sa", "")) {
      c.setAutoCommit(false);
      PreparedStatement inc = c.prepareStatement("update crl_sequence set last_number = last_number + 1 where ca_id = 'ca'");
      PreparedStatement get = c.prepareStatement("select last_number from crl_sequence where ca_id = 'ca'");
      PreparedStatement ins = c.prepareStatement("insert into crl(ca_id, crl_number, kind, der) values('ca', ?, 'full', ?)");
      PreparedStatement del = c.prepareStatement("delete from crl where ca_id = 'ca' and kind = 'full' and crl_number < ?");
      while (true) {
        Thread.sleep(rnd.nextInt(60));
        inc.executeUpdate();
        long n;
        try (ResultSet rs = get.executeQuery()) { rs.next(); n = rs.getLong(1); }
        byte[] x = new byte[10 * 1024 + rnd.nextInt(40 * 1024)];
        rnd.nextBytes(x);
        ins.setLong(1, n); ins.setBytes(2, x); ins.executeUpdate();
        del.setLong(1, n - 20); del.executeUpdate();
        synchronized (outLock) { out.println("P crl " + n); out.flush(); } // commit() starts
        c.commit();
        syncStore(c);
        synchronized (outLock) { out.println("A crl " + n + " " + hash(x)); out.flush(); }
      }
    } catch (Exception e) {
      e.printStackTrace();
    }
  }

  static void parent(String dir, int cycles, int threads, String extra) throws Exception {
    Files.createDirectories(Path.of(dir));
    String cp = System.getProperty("java.class.path");
    boolean fromSource = System.getProperty("jdk.launcher.sourcefile") != null
        || !Files.exists(Path.of("H2KillBench.class")) && cp.indexOf(File.pathSeparatorChar) < 0;
    Random rnd = new Random();
    Map<String, Long> acked = new HashMap<>();
    Map<Long, String> blobs = new HashMap<>(); // blob number -> content hash, acknowledged or seen durable
    Map<String, Long> started = new ConcurrentHashMap<>(); // key -> highest n whose commit() had started (killed child)
    Map<String, Long> lastAcked = new HashMap<>(); // key -> highest n acknowledged by the killed child
    int lost = 0, lostCommits = 0, torn = 0, dup = 0;
    long lostRows = 0;
    long commits = 0, lastKillGapUs = -1;
    String lastKillMode = "";
    int[] modes = new int[3];
    long t0 = System.nanoTime();
    for (int cycle = 1; cycle <= cycles + 1; cycle++) {
      // A shared machine: others may ask for quiet (the file exists) while they measure.
      while (Files.exists(Path.of("/tmp/keyhaven-quiet"))) Thread.sleep(30_000);
      if (Files.exists(Path.of(dir, "db.mv.db"))) Files.copy(Path.of(dir, "db.mv.db"), Path.of(dir, "pre.mv.db"), StandardCopyOption.REPLACE_EXISTING);
      List<String> cmd = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp", cp));
      cmd.add(fromSource ? "H2KillBench.java" : "H2KillBench");
      cmd.addAll(List.of("child", dir, "" + threads, extra));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.redirectError(ProcessBuilder.Redirect.appendTo(new File(dir, "child.err")));
      Process p = pb.start();
      BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()));
      Map<String, Long> have = new HashMap<>();
      Map<Long, String> haveBlobs = new TreeMap<>();
      String line, info = "";
      boolean tornNow = false;
      while ((line = r.readLine()) != null && !line.equals("READY")) {
        String[] f = line.split(" ");
        if (f[0].equals("S")) have.put(f[1], Long.parseLong(f[2]));
        else if (f[0].equals("B")) haveBlobs.put(Long.parseLong(f[1]), f[2]);
        else if (f[0].equals("I")) info = line.substring(2);
        else if (f[0].equals("T")) {
          torn++; tornNow = true;
          String key = f[1].equals("writer") ? "w" + f[2] : f[1];
          System.out.println("TORN after kill " + (cycle - 1) + ": " + line + " (killed child: last acknowledged " + lastAcked.get(key)
              + ", last commit() started " + started.get(key) + ")");
        }
      }
      if (line == null) { System.out.println("child died at start, see child.err"); System.exit(2); }
      int lostNow = 0;
      for (var e : acked.entrySet()) {
        long h = have.getOrDefault(e.getKey(), -1L);
        if (h < e.getValue()) {
          lost++; lostNow++; lostRows += e.getValue() - Math.max(0, h);
          System.out.println("LOST after kill " + (cycle - 1) + " (" + lastKillMode + ", last ack " + lastKillGapUs + " us before the kill): " + e.getKey() + " acked " + e.getValue() + " db " + h);
        }
      }
      long crlHave = have.getOrDefault("crl", 0L);
      long crlAcked = acked.getOrDefault("crl", 0L);
      // The newest 20 acknowledged blobs must be there, unless a later (unacknowledged but
      // durable) transaction deleted them: it deletes numbers below its own minus 20.
      for (long n = Math.max(1, Math.max(crlAcked, crlHave) - 19); n <= crlAcked; n++) {
        if (!haveBlobs.containsKey(n)) { lostCommits++; System.out.println("LOST after kill " + (cycle - 1) + ": crl row " + n + " (acked; db last_number " + crlHave + ")"); }
      }
      for (var e : haveBlobs.entrySet()) {
        String was = blobs.get(e.getKey());
        if (was != null && !was.equals(e.getValue())) { dup++; System.out.println("DUP after kill " + (cycle - 1) + ": crl " + e.getKey() + " was " + was + " now " + e.getValue()); }
        blobs.put(e.getKey(), e.getValue());
      }
      if (lostNow > 0 && !Files.exists(Path.of(dir, "lost.mv.db")) && Files.exists(Path.of(dir, "pre.mv.db"))) Files.copy(Path.of(dir, "pre.mv.db"), Path.of(dir, "lost.mv.db"));
      if (tornNow && !Files.exists(Path.of(dir, "torn.mv.db")) && Files.exists(Path.of(dir, "pre.mv.db"))) Files.copy(Path.of(dir, "pre.mv.db"), Path.of(dir, "torn.mv.db"));
      // What the new child found is what must survive from now on (durable even if never acknowledged).
      have.forEach((k, v) -> acked.merge(k, v, Math::max));
      acked.replaceAll((k, v) -> have.containsKey(k) ? have.get(k) : v);
      if (cycle == cycles + 1) { p.destroyForcibly(); p.waitFor(); break; }
      int mode = rnd.nextInt(10) < 4 ? 0 : rnd.nextInt(10) < 6 ? 1 : 2; // random / after a CRL ack / after any ack
      if (!WORKLOAD.equals("crl")) mode = 0;
      modes[mode]++;
      // Armed 0-1.4 s after the first acknowledged commit of this child (not after READY: on a
      // loaded machine the writers may need a second to start committing).
      long armDelay = rnd.nextInt(1400) * 1_000_000L;
      AtomicLong firstAck = new AtomicLong();
      AtomicLong lastAck = new AtomicLong();
      AtomicLong acks = new AtomicLong();
      AtomicBoolean killed = new AtomicBoolean();
      Map<String, Long> now = new ConcurrentHashMap<>();
      started.clear();
      final int m = mode;
      Thread reader = new Thread(() -> {
        try {
          String l;
          while ((l = r.readLine()) != null) {
            String[] f = l.split(" ");
            if (f[0].equals("P")) { started.merge(f[1], Long.parseLong(f[2]), Math::max); continue; }
            if (!f[0].equals("A")) continue;
            long n = Long.parseLong(f[2]);
            now.merge(f[1], n, Math::max);
            if (f.length > 3) synchronized (blobs) { blobs.put(n, f[3]); }
            long t = System.nanoTime();
            lastAck.set(t);
            firstAck.compareAndSet(0, t);
            acks.incrementAndGet();
            if (m > 0 && !killed.get() && t > firstAck.get() + armDelay && (m == 2 || f[1].equals("crl"))) {
              p.destroyForcibly(); // SIGKILL
              killed.set(true);
            }
          }
        } catch (IOException e) { }
      });
      reader.start();
      long waitFirst = System.nanoTime() + 20_000_000_000L;
      while (firstAck.get() == 0 && System.nanoTime() < waitFirst) Thread.sleep(1);
      long armAt = (firstAck.get() == 0 ? System.nanoTime() : firstAck.get()) + armDelay;
      if (mode == 0) {
        Thread.sleep(Math.max(0, (armAt - System.nanoTime()) / 1_000_000));
        p.destroyForcibly();
      } else {
        long deadline = armAt + 5_000_000_000L; // no ack in time: kill anyway
        while (!killed.get() && System.nanoTime() < deadline) Thread.sleep(5);
        if (!killed.get()) p.destroyForcibly();
      }
      long killAt = System.nanoTime();
      p.waitFor();
      reader.join();
      lastKillGapUs = (killAt - lastAck.get()) / 1000;
      lastKillMode = new String[] {"random", "after CRL ack", "after any ack"}[mode];
      commits += acks.get();
      lastAcked.clear();
      lastAcked.putAll(now);
      now.forEach((k, v) -> acked.merge(k, v, Math::max));
      System.out.println("cycle " + cycle + " " + lastKillMode + " acks=" + acks.get() + " lost=" + lost + " lostCrlRows=" + lostCommits + " dup=" + dup + " torn=" + torn
          + " crl=" + acked.getOrDefault("crl", 0L) + " size=" + Files.size(Path.of(dir, "db.mv.db")) + (info.isEmpty() ? "" : " " + info));
    }
    System.out.println("DONE workload=" + WORKLOAD + " kills=" + cycles + " (random " + modes[0] + ", after CRL ack " + modes[1] + ", after any ack " + modes[2] + ") acknowledged commits=" + commits
        + " lost=" + lost + " (counter steps " + lostRows + ")" + " lostCrlRows=" + lostCommits + " dup=" + dup + " torn=" + torn + " size=" + Files.size(Path.of(dir, "db.mv.db")) + " seconds=" + (System.nanoTime() - t0) / 1_000_000_000L);
    System.exit(lost + lostCommits + dup + torn == 0 ? 0 : 1);
  }
}
