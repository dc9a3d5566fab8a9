package org.keyhaven.server.keyserver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A GnuPG home directory for tests: its own gpg-agent and dirmngr, pointed at one loopback
 * keyserver. {@link #close()} stops both daemons of this home (gpgconf --kill) and nothing else.
 */
final class Gpg implements AutoCloseable {
  record Result(int exit, String out, String err) {
    String all() {
      return out + err;
    }
  }

  final Path home;

  private Gpg(Path home) {
    this.home = home;
  }

  /** Fails under CI when gpg is missing; skips locally. */
  static void requireGpg() {
    boolean present;
    try {
      present = new ProcessBuilder("gpg", "--version").redirectErrorStream(true).start()
          .waitFor() == 0;
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new AssertionError("gpg is required in CI (apt package gnupg, see .ci/deps/keyserver.txt)");
    }
    assumeTrue(present, "gpg not installed");
  }

  /** A fresh home whose dirmngr talks to {@code hkp://127.0.0.1:port} only. */
  static Gpg create(int hkpPort) throws IOException {
    Path home = Files.createTempDirectory("khgpg",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.writeString(home.resolve("dirmngr.conf"), "keyserver hkp://127.0.0.1:" + hkpPort + "\n"
        // IPv4 loopback only; never a proxy from the environment (dirmngr ignores http_proxy
        // unless honor-http-proxy is set, and we do not set it).
        + "disable-ipv6\n");
    Files.writeString(home.resolve("gpg.conf"), "no-auto-key-retrieve\n");
    return new Gpg(home);
  }

  Result run(String... args) {
    return runWithInput(null, args);
  }

  Result runWithInput(String stdin, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("gpg");
    cmd.add("--batch");
    cmd.add("--no-tty");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    Map<String, String> env = pb.environment();
    env.put("GNUPGHOME", home.toString());
    for (String v : List.of("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY",
        "all_proxy", "ALL_PROXY")) {
      env.remove(v);
    }
    try {
      Path out = Files.createTempFile(home, "out", ".txt");
      Path err = Files.createTempFile(home, "err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("gpg timed out: " + cmd);
      }
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Generates a key with gpg itself; returns its fingerprint. */
  String generate(String userId, String algo, String subkeyAlgo) {
    Result r = run("--pinentry-mode", "loopback", "--passphrase", "", "--quick-gen-key", userId,
        algo, "default", "never");
    if (r.exit() != 0) {
      throw new AssertionError("key generation failed: " + r.all());
    }
    String fpr = fingerprint(userId);
    if (subkeyAlgo != null) {
      Result s = run("--pinentry-mode", "loopback", "--passphrase", "", "--quick-add-key", fpr,
          subkeyAlgo, "encr", "never");
      if (s.exit() != 0) {
        throw new AssertionError("subkey generation failed: " + s.all());
      }
    }
    return fpr;
  }

  /** The fingerprint of the first key matching {@code who}, or null. */
  String fingerprint(String who) {
    Result r = run("--with-colons", "--list-keys", who);
    for (String line : r.out().split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    return null;
  }

  /** The validity field of the pub line of {@code fpr} ("r" when revoked), or null. */
  String pubValidity(String fpr) {
    Result r = run("--with-colons", "--list-keys", fpr);
    for (String line : r.out().split("\n")) {
      if (line.startsWith("pub:")) {
        return line.split(":")[1];
      }
    }
    return null;
  }

  byte[] export(String... fprs) {
    List<String> a = new ArrayList<>(List.of("--export"));
    a.addAll(List.of(fprs));
    ProcessBuilder pb = new ProcessBuilder();
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch"));
    cmd.addAll(a);
    pb.command(cmd).environment().put("GNUPGHOME", home.toString());
    try {
      Process p = pb.redirectError(ProcessBuilder.Redirect.DISCARD).start();
      byte[] out = p.getInputStream().readAllBytes();
      p.waitFor(60, TimeUnit.SECONDS);
      return out;
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Override
  public void close() {
    for (String component : List.of("dirmngr", "gpg-agent")) {
      ProcessBuilder pb = new ProcessBuilder("gpgconf", "--kill", component);
      pb.environment().put("GNUPGHOME", home.toString());
      try {
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start()
            .waitFor(30, TimeUnit.SECONDS);
      } catch (IOException | InterruptedException e) {
        // best effort: the daemons exit on their own when the home directory disappears
      }
    }
    try (var files = Files.walk(home)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    } catch (IOException e) {
      // temp dir; ignore
    }
  }
}
