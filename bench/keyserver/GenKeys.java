// Deterministic synthetic OpenPGP keys for the keyserver benchmark (gpg is far too slow for
// 100,000 keys). Key i is "Bench User i <bench<i>@example.org>", Ed25519 + X25519, created at a
// fixed time, so every run produces byte-identical output.
//
// Usage: java -cp <keyhaven-keyserver + bcprov + bcpg + keyhaven-common jars> GenKeys.java \
//            N dump.pgp fprs.txt emails.txt
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import java.util.stream.IntStream;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;

public class GenKeys {
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    Instant created = Instant.parse("2025-06-01T00:00:00Z");
    long t0 = System.nanoTime();
    // Generate in parallel, write in order: the output stays deterministic.
    byte[][] keys = new byte[n][];
    String[] fprs = new String[n];
    IntStream.range(0, n).parallel().forEach(i -> {
      var id = SyntheticKeys.identity("bench" + i, "Bench User " + i + " <bench" + i
          + "@example.org>", created);
      keys[i] = SyntheticKeys.publicKey(id);
      fprs[i] = HexFormat.of().formatHex(id.publicKey().getFingerprint()).toUpperCase(Locale.ROOT);
    });
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[1])));
        PrintWriter f = new PrintWriter(Files.newBufferedWriter(Path.of(args[2])));
        PrintWriter e = new PrintWriter(Files.newBufferedWriter(Path.of(args[3])))) {
      for (int i = 0; i < n; i++) {
        out.write(keys[i]);
        f.println(fprs[i]);
        e.println("bench" + i + "@example.org");
      }
    }
    System.err.printf("generated %d keys in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
  }
}
