package org.keyhaven.server.db;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.ServerConfig;
import org.keyhaven.server.TestServer;

/**
 * Regression for the crash-consistency finding: with H2's default write delay, a transaction that
 * had committed (and whose result the server had already sent) was gone after the process was
 * killed. A child JVM opens the server's own H2 file database, commits rows one by one and halts
 * without any shutdown (as SIGKILL does); every committed row must be there on reopening.
 */
class H2DurabilityTest {
  static final int ROWS = 200;

  @Test
  void committedRows_surviveAKilledProcess(@TempDir Path dir) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), H2DurabilityTest.class.getName(),
        dir.toString()).inheritIO().start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("child halted after committing").isEqualTo(99);
    try (HikariDataSource ds = Database.open(config(dir));
        Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM durability_probe")) {
      rs.next();
      assertThat(rs.getInt(1)).as("committed rows after the kill").isEqualTo(ROWS);
    }
  }

  static ServerConfig config(Path dir) {
    return TestServer.config(dir, null, 0, 0, 0);
  }

  /** Child: commit ROWS rows through the server's pool, then die at once (no hooks, no close). */
  public static void main(String[] args) throws Exception {
    HikariDataSource ds = Database.open(config(Path.of(args[0])));
    try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE durability_probe (i INT PRIMARY KEY)");
      for (int i = 0; i < ROWS; i++) {
        st.execute("INSERT INTO durability_probe VALUES (" + i + ")");
      }
    }
    Runtime.getRuntime().halt(99);
  }
}
