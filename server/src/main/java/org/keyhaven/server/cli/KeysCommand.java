package org.keyhaven.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.openpgp.Armor;
import org.keyhaven.keyserver.store.jdbc.JdbcKeyserverStore;
import org.keyhaven.server.ServerConfig;
import org.keyhaven.server.db.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyhaven keys import|export|remove|allow}. Import and export are offline commands that
 * open the database directly (stop the server first when it uses the H2 file database); remove
 * and allow call the REST API so that they are authorised and audited by the server.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
    description = "OpenPGP keyserver: bulk import and export of key dumps, admin removal.",
    subcommands = {KeysImportCommand.class, KeysCommand.Export.class, KeysCommand.Remove.class,
        KeysCommand.Allow.class})
public final class KeysCommand {

  /** Where the database is, as {@code keyhaven serve} takes it. */
  static final class DbOptions {
    @Option(names = "--data-dir", defaultValue = "${env:KEYHAVEN_DATA_DIR:-./data}",
        description = "Data directory with the H2 database (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--db-url", defaultValue = "${env:KEYHAVEN_DB_URL}",
        description = "JDBC URL (default: the H2 file database in the data dir).")
    String dbUrl;

    @Option(names = "--db-user", defaultValue = "${env:KEYHAVEN_DB_USER}",
        description = "Database user.")
    String dbUser;

    @Option(names = "--db-password-file", defaultValue = "${env:KEYHAVEN_DB_PASSWORD_FILE}",
        description = "File holding the database password.")
    Path dbPasswordFile;

    /** Opens (and migrates) the same database the server uses. */
    HikariDataSource open() {
      try {
        Files.createDirectories(dataDir);
      } catch (IOException e) {
        throw new CliException("cannot create " + dataDir + ": " + e.getMessage());
      }
      return Database.open(new ServerConfig(dataDir, "127.0.0.1", 0, 0, 0, dbUrl, dbUser,
          dbPasswordFile, "keyhaven", List.of("example.org"), null, null, null,
          ServerConfig.DEFAULT_MAX_BODY_BYTES));
    }
  }

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write every stored key (as served) to a key dump, binary or armored.")
  static final class Export implements Callable<Integer> {
    @Mixin DbOptions db;

    @Option(names = {"-o", "--output"}, required = true, description = "Output file.")
    Path output;

    @Option(names = "--armor", description = "Write one ASCII-armored block instead of binary.")
    boolean armor;

    @Override
    public Integer call() throws IOException {
      long[] n = {0};
      try (HikariDataSource ds = db.open();
          OutputStream out = new BufferedOutputStream(Files.newOutputStream(output))) {
        JdbcKeyserverStore store = new JdbcKeyserverStore(ds);
        java.io.ByteArrayOutputStream buf = armor ? new java.io.ByteArrayOutputStream() : null;
        store.forEach(k -> {
          try {
            (buf != null ? buf : out).write(k.served().toByteArray());
            n[0]++;
          } catch (IOException e) {
            throw new CliException("cannot write " + output + ": " + e.getMessage());
          }
        });
        if (buf != null) {
          out.write(Armor.encodePublicKeys(buf.toByteArray()).getBytes(StandardCharsets.US_ASCII));
        }
      }
      System.err.printf("exported %d keys to %s%n", n[0], output);
      return 0;
    }
  }

  @Command(name = "remove", mixinStandardHelpOptions = true,
      description = "Remove a key (e.g. a data-protection request) and block its re-upload.")
  static final class Remove implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "Primary key fingerprint.") String fingerprint;
    @Option(names = "--reason", description = "Why (recorded in the audit log).") String reason;

    @Override
    public Integer call() {
      Fingerprint f = parse(fingerprint);
      var api = client.client();
      String q = reason == null ? "" : "?reason=" + URLEncoder.encode(reason,
          StandardCharsets.UTF_8);
      api.expectOk(api.delete("/api/v1/keys/" + f.upperHex() + q));
      System.out.println("removed and blocked " + f.upperHex());
      return 0;
    }
  }

  @Command(name = "allow", mixinStandardHelpOptions = true,
      description = "Lift the block on a removed key so it may be uploaded again.")
  static final class Allow implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "Primary key fingerprint.") String fingerprint;

    @Override
    public Integer call() {
      Fingerprint f = parse(fingerprint);
      var api = client.client();
      api.expectOk(api.post("/api/v1/keys/" + f.upperHex() + "/allow", "application/json",
          new byte[0]));
      System.out.println("allowed " + f.upperHex());
      return 0;
    }
  }

  static Fingerprint parse(String s) {
    try {
      return Fingerprint.parse(s.replace(" ", ""));
    } catch (org.keyhaven.common.PkiException e) {
      throw new CliException(e.detail());
    }
  }
}
