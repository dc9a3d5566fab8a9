package org.keyhaven.server.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.keyhaven.db.Migrations;
import org.keyhaven.server.ServerConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens the connection pool for the configured database and brings its schema up to date. */
public final class Database {
  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private Database() {}

  /** A migrated pool; the caller closes it. */
  public static HikariDataSource open(ServerConfig config) {
    String url = withStatementCache(config.effectiveDbUrl());
    HikariConfig hikari = new HikariConfig();
    hikari.setJdbcUrl(url);
    hikari.setPoolName("keyhaven");
    hikari.setMaximumPoolSize(url.startsWith("jdbc:h2:") ? 16 : 20);
    if (config.dbUser() != null && !config.dbUser().isBlank()) {
      hikari.setUsername(config.dbUser());
    } else if (url.startsWith("jdbc:h2:")) {
      hikari.setUsername("sa");
    }
    if (config.dbPasswordFile() != null) {
      hikari.setPassword(readPassword(config));
    }
    HikariDataSource dataSource = new HikariDataSource(hikari);
    try {
      int ran = Migrations.migrate(dataSource);
      LOG.info("database {} ready ({} migrations applied)", redact(url), ran);
      return dataSource;
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  /**
   * H2 caches parsed statements per session, 8 by default; pooled sessions serve every kind of
   * request, so 8 thrash and each statement is parsed again (the largest cost of an audit append
   * in profiles). PostgreSQL's driver caches server-side prepared statements on its own.
   *
   * <p>H2's page cache is 16 MB by default. With 100,000 certificates and 100,000 keys the pages
   * that random lookups touch are several times that, so nearly every recipient lookup read and
   * decoded B-tree pages from the file again (a quarter of its CPU in profiles). The cache gets a
   * quarter of the heap instead (16 MB at least, 1 GB at most), unless the URL sets it.
   */
  static String withStatementCache(String url) {
    if (!url.startsWith("jdbc:h2:")) {
      return url;
    }
    String upper = url.toUpperCase(java.util.Locale.ROOT);
    if (!upper.contains("QUERY_CACHE_SIZE")) {
      url += ";QUERY_CACHE_SIZE=256";
    }
    if (!upper.replace("QUERY_CACHE_SIZE", "").contains("CACHE_SIZE")) {
      url += ";CACHE_SIZE=" + pageCacheKb(Runtime.getRuntime().maxMemory());
    }
    return url;
  }

  /** H2 page cache in KB for a heap of {@code maxHeapBytes}: a quarter, within 16 MB..1 GB. */
  static long pageCacheKb(long maxHeapBytes) {
    return Math.max(16L * 1024, Math.min(1024L * 1024, maxHeapBytes / 4 / 1024));
  }

  private static String readPassword(ServerConfig config) {
    try {
      return Files.readString(config.dbPasswordFile(), StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new IllegalStateException("cannot read --db-password-file " + config.dbPasswordFile(), e);
    }
  }

  /** JDBC URLs may carry a password parameter; never log it. */
  static String redact(String url) {
    return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
  }
}
