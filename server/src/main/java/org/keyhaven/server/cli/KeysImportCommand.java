package org.keyhaven.server.cli;

import com.zaxxer.hikari.HikariDataSource;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.KeySubmission;
import org.keyhaven.keyserver.KeyserverPolicy;
import org.keyhaven.keyserver.SubmissionResult.Status;
import org.keyhaven.keyserver.openpgp.Armor;
import org.keyhaven.keyserver.store.jdbc.JdbcKeyserverStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code keyhaven keys import FILE…}: bulk import of key dumps (SKS dump files, {@code gpg
 * --export} output, armored or binary) with the same verification and merge as HKP uploads, a
 * progress line, a summary, and resumption after an interruption (progress is recorded per file).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Import key dumps (binary or armored); resumable.")
public final class KeysImportCommand implements Callable<Integer> {
  private static final int CHECKPOINT = 1000;

  @Mixin KeysCommand.DbOptions db;

  @Parameters(arity = "1..*", description = "Key dump files.")
  List<Path> files;

  @Option(names = "--restart", description = "Ignore recorded progress and start from the top.")
  boolean restart;

  @Option(names = "--quiet", description = "No progress line, only the summary.")
  boolean quiet;

  @Override
  public Integer call() {
    Map<Status, Long> totals = new EnumMap<>(Status.class);
    long start = System.nanoTime();
    try (HikariDataSource ds = db.open()) {
      JdbcKeyserverStore store = new JdbcKeyserverStore(ds);
      KeySubmission submission = new KeySubmission(store, KeyserverPolicy.defaults(),
          Clock.systemUTC());
      for (Path f : files) {
        importFile(store, submission, f, totals);
      }
    }
    double secs = (System.nanoTime() - start) / 1e9;
    long all = totals.values().stream().mapToLong(Long::longValue).sum();
    System.out.printf("imported %d keys in %.1f s (%.0f keys/s): added %d, updated %d, "
        + "unchanged %d, rejected %d%n", all, secs, all / Math.max(secs, 1e-9),
        totals.getOrDefault(Status.ADDED, 0L), totals.getOrDefault(Status.UPDATED, 0L),
        totals.getOrDefault(Status.UNCHANGED, 0L), totals.getOrDefault(Status.REJECTED, 0L));
    return totals.getOrDefault(Status.REJECTED, 0L) > 0 && all == totals.get(Status.REJECTED)
        ? 1 : 0;
  }

  private void importFile(JdbcKeyserverStore store, KeySubmission submission, Path file,
      Map<Status, Long> totals) {
    String source;
    long size;
    try {
      source = file.toRealPath().toString();
      size = Files.size(file);
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
    source = source + "#" + size;
    OptionalLong done = restart ? OptionalLong.empty() : store.importProgress(source);
    long skip = done.orElse(0);
    if (skip > 0) {
      System.err.printf("%s: resuming after %d keys%n", file, skip);
    }
    long[] n = {skip};
    long t0 = System.nanoTime();
    String src = source;
    try (InputStream in = open(file)) {
      submission.submitStream(in, skip, outcome -> {
        totals.merge(outcome.status(), 1L, Long::sum);
        n[0]++;
        if (outcome.status() == Status.REJECTED && !quiet) {
          System.err.printf("%n%s: rejected %s: %s%n", file, outcome.fingerprint() == null
              ? "-" : outcome.fingerprint().upperHex(), outcome.detail());
        }
        if (n[0] % CHECKPOINT == 0) {
          store.recordImportProgress(src, n[0], java.time.Instant.now());
          progress(file, n[0] - skip, t0);
        }
      });
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    } catch (PkiException e) {
      store.recordImportProgress(src, n[0], java.time.Instant.now());
      throw new CliException(file + ": " + e.detail() + " (after " + n[0] + " keys; run again to "
          + "resume)");
    }
    store.recordImportProgress(src, n[0], java.time.Instant.now());
    progress(file, n[0] - skip, t0);
    if (!quiet) {
      System.err.println();
    }
  }

  private void progress(Path file, long keys, long t0) {
    if (quiet) {
      return;
    }
    double s = (System.nanoTime() - t0) / 1e9;
    System.err.printf("\r%s: %d keys, %.0f keys/s", file.getFileName(), keys,
        keys / Math.max(s, 1e-9));
  }

  /** Binary dumps are streamed; armored files are decoded in memory first. */
  private static InputStream open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    in.mark(64);
    byte[] head = in.readNBytes(64);
    in.reset();
    if (Armor.isArmored(head)) {
      try (in) {
        return new ByteArrayInputStream(Armor.decode(in.readAllBytes()));
      }
    }
    return in;
  }
}
