package org.keyhaven.keyserver.wot.openpgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fresh oracle sets made at test time by shared/wot-oracle/wot_oracle.py with GnuPG, with seeds
 * and parameters that the committed vectors do not use. Needs python3, gpg and shared/ beside the
 * repository: under CI (env CI=true) their absence fails the test; locally it skips.
 */
class GnupgOracleGeneratedTest {

  static Stream<Arguments> runs() {
    return Stream.of(
        Arguments.of("n60-seed11-m2c2d3l1-local", List.of("-n", "60", "--seed", "11",
            "--marginals-needed", "2", "--completes-needed", "2", "--max-cert-depth", "3",
            "--min-cert-level", "1", "--export-local-sigs")),
        Arguments.of("n80-seed12-classic-window8", List.of("-n", "80", "--seed", "12",
            "--trust-model", "classic", "--window", "8", "--avg-certs", "4")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("runs")
  void generatedKeyring_matchesGnupg(String name, List<String> args, @TempDir Path tmp)
      throws Exception {
    Path oracle = OracleFixture.sharedOracleDir();
    boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
    boolean tools = oracle != null && onPath("python3") && onPath("gpg");
    if (ci) {
      assertThat(tools).as("CI needs shared/wot-oracle, python3 and gpg").isTrue();
    }
    assumeTrue(tools, "shared/wot-oracle, python3 or gpg missing");
    Path out = tmp.resolve(name);
    List<String> cmd = new ArrayList<>(List.of("python3", oracle.resolve("wot_oracle.py")
        .toString(), "--out", out.toString()));
    cmd.addAll(args);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(tmp.resolve(name + ".log").toFile()).start();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).as("oracle finished").isTrue();
    assertThat(p.exitValue()).as("oracle exit status; log:%n%s",
        Files.readString(tmp.resolve(name + ".log"))).isZero();
    GnupgOracleConformanceTest.assertMatchesGnupg(new OracleFixture("generated/" + name, out));
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
