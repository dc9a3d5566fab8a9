import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.keyhaven.db.Migrations;
import org.keyhaven.server.audit.JdbcAuditLog;

/**
 * How many hash-chained audit appends a second one database takes: every append locks the one
 * audit_head row, so this is a ceiling for the whole cluster (two appends per issuance).
 * Usage: java -cp 'keyhaven-server.jar:lib/*' AuditAppend.java <jdbc-url> <threads> <seconds>
 */
public class AuditAppend {
  public static void main(String[] a) throws Exception {
    HikariConfig cfg = new HikariConfig();
    cfg.setJdbcUrl(a[0]);
    cfg.setMaximumPoolSize(Integer.parseInt(a[1]) + 1);
    try (HikariDataSource ds = new HikariDataSource(cfg)) {
      Migrations.migrate(ds);
      JdbcAuditLog log = new JdbcAuditLog(ds, Clock.systemUTC());
      int threads = Integer.parseInt(a[1]);
      long seconds = Long.parseLong(a[2]);
      AtomicLong done = new AtomicLong();
      long warm = System.nanoTime() + 2_000_000_000L;
      long end = warm + seconds * 1_000_000_000L;
      Thread[] ts = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        ts[t] = new Thread(() -> {
          while (System.nanoTime() < end) {
            log.record("bench", "bench.append", "target", "success", null);
            if (System.nanoTime() > warm) {
              done.incrementAndGet();
            }
          }
        });
        ts[t].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      System.out.printf("audit appends, %d threads: %.0f/s%n", threads, done.get() / (double) seconds);
    }
  }
}
