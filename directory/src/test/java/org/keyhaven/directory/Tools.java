package org.keyhaven.directory;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs real client tools; missing tools fail under CI (CI=true) and skip locally. */
public final class Tools {
  private Tools() {}

  public record Result(int exit, byte[] stdout, String stderr) {
    public String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  public static void require(String tool) {
    boolean found = List.of(System.getenv("PATH").split(File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)))
        || Files.isExecutable(Path.of("/usr/sbin", tool));
    if ("true".equals(System.getenv("CI"))) {
      if (!found) {
        throw new AssertionError(tool + " is missing (see .ci/deps/directory.txt)");
      }
    } else {
      assumeTrue(found, tool + " not installed");
    }
  }

  public static Result run(Map<String, String> env, String... cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().putAll(env);
      Path err = Files.createTempFile("tool", ".err");
      pb.redirectError(err.toFile());
      pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      Process p = pb.start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timeout: " + String.join(" ", cmd));
      }
      String e = Files.readString(err);
      Files.delete(err);
      return new Result(p.exitValue(), out, e);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  public static Result run(String... cmd) {
    return run(Map.of(), cmd);
  }
}
