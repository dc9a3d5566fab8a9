package org.keyhaven.server.keyserver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Sequoia's {@code sq} (Debian bookworm: 0.27) as an HKP client of one loopback keyserver. sq
 * 0.27 keeps no state of its own (no certificate store), so a work directory for key files is
 * all it needs; it refuses plain-HTTP keyservers unless given {@code --policy insecure}.
 */
final class Sq implements AutoCloseable {
  record Result(int exit, byte[] out, String err) {
    String text() {
      return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  final Path dir;
  private final String server;

  private Sq(Path dir, String server) {
    this.dir = dir;
    this.server = server;
  }

  /** Fails under CI when sq is missing; skips locally. */
  static void requireSq() {
    boolean present;
    try {
      present = new ProcessBuilder("sq", "--version").redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("sq is required in CI (apt package sq, see .ci/deps/keyserver.txt)");
    }
    assumeTrue(present, "sq not installed");
  }

  static Sq create(int hkpPort) throws IOException {
    Path dir = Files.createTempDirectory("khsq",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    return new Sq(dir, "hkp://127.0.0.1:" + hkpPort);
  }

  /** {@code sq keyserver --policy insecure --server hkp://127.0.0.1:PORT <args>}. */
  Result keyserver(String... args) {
    List<String> cmd = new ArrayList<>(List.of("keyserver", "--policy", "insecure", "--server",
        server));
    cmd.addAll(List.of(args));
    return run(cmd.toArray(String[]::new));
  }

  /** The binary certificate {@code sq keyserver get} writes for {@code query}. */
  Result get(String query) {
    return keyserver("get", "--binary", query);
  }

  Result run(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("sq");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    Map<String, String> env = pb.environment();
    for (String v : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
        "all_proxy", "ALL_PROXY")) {
      env.remove(v);
    }
    try {
      Path err = Files.createTempFile(dir, "err", ".txt");
      pb.redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE);
      Process p = pb.start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("sq timed out: " + cmd);
      }
      return new Result(p.exitValue(), out, Files.readString(err));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Generates a key with sq itself ({@code sq key generate}, cv25519: an EdDSA primary key with
   * signing, authentication and encryption subkeys) and returns the file of its certificate
   * (armored). sq writes a revocation certificate next to the key, {@code <name>.key.rev}.
   */
  Path generate(String name, String userId) {
    List<String> args = new ArrayList<>(List.of("key", "generate", "--export", name + ".key"));
    if (userId != null) {
      args.addAll(List.of("--userid", userId));
    }
    Result g = run(args.toArray(String[]::new));
    if (g.exit() != 0) {
      throw new AssertionError("sq key generate failed: " + g.err());
    }
    Result c = run("key", "extract-cert", name + ".key");
    if (c.exit() != 0) {
      throw new AssertionError("sq key extract-cert failed: " + c.err());
    }
    try {
      return Files.write(dir.resolve(name + ".cert"), c.out());
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** {@code sq dearmor}: the binary form of an armored file in the work directory. */
  byte[] dearmor(Path file) {
    Result r = run("dearmor", file.toString());
    if (r.exit() != 0) {
      throw new AssertionError("sq dearmor failed: " + r.err());
    }
    return r.out();
  }

  /** The primary fingerprint sq reports for a certificate file (upper-case hex, no spaces). */
  String fingerprint(Path file) {
    Result r = run("inspect", file.toString());
    for (String line : r.text().split("\n")) {
      String t = line.strip();
      if (t.startsWith("Fingerprint:")) {
        return t.substring("Fingerprint:".length()).strip();
      }
    }
    throw new AssertionError("no fingerprint in sq inspect: " + r.text() + r.err());
  }

  @Override
  public void close() {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // temp dir; ignore
    }
  }
}
