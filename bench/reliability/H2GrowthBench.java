import java.nio.file.*;
import java.sql.*;
import java.util.*;
import java.util.concurrent.atomic.*;

/**
 * H2 file growth and commit rate under small commits (bench/reliability/h2-growth.sh): THREADS
 * writers commit COMMITS transactions in all, each one 1 KiB row into a table with a secondary
 * index (every 50th transaction is a JdbcCrlStore-like counter + 30 KiB blob + delete instead),
 * on the server's URL settings plus extraUrl. After each commit, depending on MODE:
 *
 * <ul>
 *   <li>{@code none}: nothing (the production setting is WRITE_DELAY=0: H2 stores in commit);
 *   <li>{@code commit}: {@code MVStore.commit()} on the database's store;
 *   <li>{@code commitflush}: that, then wait for H2's write executors (see H2KillBench);
 *   <li>{@code checkpoint}: the SQL {@code CHECKPOINT} on the same connection;
 *   <li>{@code housekeep}: nothing, but H2's background housekeeping runs on a thread of ours.
 * </ul>
 *
 * Prints commits/s, the file size and the chunk fill rate at the end of the load, after IDLE
 * seconds with the database open and idle, and after a normal close.
 *
 * <p>{@code java -cp h2.jar H2GrowthBench.java <dir> <mode> <commits> <threads> <idleSeconds> [extraUrl]}
 */
public class H2GrowthBench {
  public static void main(String[] a) throws Exception {
    String dir = a[0], mode = a[1];
    int commits = Integer.parseInt(a[2]), threads = Integer.parseInt(a[3]), idle = Integer.parseInt(a[4]);
    String extra = a.length > 5 ? a[5] : "";
    String url = "jdbc:h2:file:" + dir + "/db;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;QUERY_CACHE_SIZE=256"
        + (extra.toUpperCase().contains("WRITE_DELAY") ? "" : ";WRITE_DELAY=0") + extra;
    Path file = Path.of(dir, "db.mv.db");
    Connection keep = DriverManager.getConnection(url, "sa", "");
    Statement s = keep.createStatement();
    s.execute("create table if not exists cert(id varchar(64) primary key, t int not null, n bigint not null, der bytea not null)");
    s.execute("create index if not exists cert_t on cert(t, n)");
    s.execute("create table if not exists crl_sequence(ca_id varchar(63) primary key, last_number bigint not null)");
    s.execute("create table if not exists crl(ca_id varchar(63) not null, crl_number bigint not null, der bytea not null, primary key(ca_id, crl_number))");
    s.execute("merge into crl_sequence key(ca_id) values('ca', 0)");
    org.h2.mvstore.MVStore store = ((org.h2.engine.SessionLocal) keep.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
    // Mode housekeep: nothing after commit, but a thread runs H2's own background housekeeping
    // (FileStore.doHousekeeping, what H2's writer thread does when WRITE_DELAY > 0) every
    // H2GROWTH_HOUSEKEEP ms (50, as H2's thread with WRITE_DELAY=500), with WRITE_DELAY=0 kept.
    int hk = mode.equals("housekeep") ? Integer.parseInt(Objects.requireNonNullElse(System.getenv("H2GROWTH_HOUSEKEEP"), "50")) : 0;
    if (hk > 0) {
      java.lang.reflect.Method m = org.h2.mvstore.FileStore.class.getDeclaredMethod("doHousekeeping", org.h2.mvstore.MVStore.class);
      m.setAccessible(true);
      Thread h = new Thread(() -> {
        try {
          while (true) { Thread.sleep(hk); if (!store.isClosed()) m.invoke(store.getFileStore(), store); }
        } catch (Exception e) { if (!store.isClosed()) e.printStackTrace(); }
      });
      h.setDaemon(true);
      h.start();
    }
    AtomicInteger next = new AtomicInteger();
    long[] worst = new long[threads];
    long t0 = System.nanoTime();
    List<Thread> ts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      final int tid = t;
      Thread th = new Thread(() -> {
        Random rnd = new Random(tid);
        try (Connection c = DriverManager.getConnection(url, "sa", "")) {
          c.setAutoCommit(false);
          PreparedStatement ins = c.prepareStatement("insert into cert(id, t, n, der) values(?,?,?,?)");
          PreparedStatement inc = c.prepareStatement("update crl_sequence set last_number = last_number + 1 where ca_id = 'ca'");
          PreparedStatement get = c.prepareStatement("select last_number from crl_sequence where ca_id = 'ca'");
          PreparedStatement blob = c.prepareStatement("insert into crl(ca_id, crl_number, der) values('ca', ?, ?)");
          PreparedStatement del = c.prepareStatement("delete from crl where ca_id = 'ca' and crl_number < ?");
          Statement cp = c.createStatement();
          org.h2.mvstore.MVStore st = ((org.h2.engine.SessionLocal) c.unwrap(org.h2.jdbc.JdbcConnection.class).getSession()).getDatabase().getStore().getMvStore();
          int i;
          while ((i = next.getAndIncrement()) < commits) {
            long b = System.nanoTime();
            if (i % 50 == 49) {
              inc.executeUpdate();
              long n;
              try (ResultSet rs = get.executeQuery()) { rs.next(); n = rs.getLong(1); }
              byte[] x = new byte[30 * 1024]; rnd.nextBytes(x);
              blob.setLong(1, n); blob.setBytes(2, x); blob.executeUpdate();
              del.setLong(1, n - 20); del.executeUpdate();
            } else {
              byte[] x = new byte[1024]; rnd.nextBytes(x);
              ins.setString(1, UUID.randomUUID().toString()); ins.setInt(2, tid); ins.setLong(3, i); ins.setBytes(4, x);
              ins.executeUpdate();
            }
            c.commit();
            if (mode.equals("commit")) st.commit();
            else if (mode.equals("commitflush")) { st.commit(); st.executeFilestoreOperation(() -> {}); }
            else if (mode.equals("checkpoint")) cp.execute("CHECKPOINT");
            worst[tid] = Math.max(worst[tid], System.nanoTime() - b);
          }
        } catch (Exception e) {
          e.printStackTrace();
        }
      });
      th.start();
      ts.add(th);
    }
    for (Thread th : ts) th.join();
    double secs = (System.nanoTime() - t0) / 1e9;
    long worstMs = Arrays.stream(worst).max().getAsLong() / 1_000_000;
    System.out.printf("mode=%s extra='%s' commits=%d threads=%d: %.1f s, %.0f commits/s, worst %d ms; after load: file %.1f MB, chunks fill %d%%, file fill %d%%%n",
        mode, extra, commits, threads, secs, commits / secs, worstMs, Files.size(file) / 1e6, store.getFileStore().getChunksFillRate(), store.getFileStore().getFillRate());
    for (int waited = 0; waited < idle; waited += 10) {
      Thread.sleep(10_000);
      System.out.printf("  idle %d s: file %.1f MB, chunks fill %d%%, file fill %d%%%n", waited + 10, Files.size(file) / 1e6, store.getFileStore().getChunksFillRate(), store.getFileStore().getFillRate());
    }
    keep.close();
    System.out.printf("  after close: file %.1f MB%n", Files.size(file) / 1e6);
  }
}
