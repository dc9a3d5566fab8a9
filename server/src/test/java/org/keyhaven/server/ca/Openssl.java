package org.keyhaven.server.ca;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the openssl CLI in a working directory; fails under CI when it is missing. */
final class Openssl {
  record Result(int exit, String output) {}

  private Openssl() {}

  static void require() {
    boolean present = run(Path.of("."), "version").exit() == 0;
    if (!present && "true".equals(System.getenv("CI"))) {
      throw new IllegalStateException("openssl is missing under CI (.ci/deps/ca.txt)");
    }
    assumeTrue(present, "openssl not installed");
  }

  static Result run(Path dir, String... args) {
    return exec(dir, "openssl", args);
  }

  static Result exec(Path dir, String tool, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(tool);
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
          .start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Result(-1, "timeout");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** Runs and fails with the tool's output unless it exits 0. */
  static String ok(Path dir, String... args) {
    Result r = run(dir, args);
    if (r.exit() != 0) {
      throw new AssertionError("openssl " + String.join(" ", args) + " failed:\n" + r.output());
    }
    return r.output();
  }
}
