package org.keyhaven.server.keyserver;

import static org.assertj.core.api.Assertions.assertThat;

import org.keyhaven.server.CliRunner;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.keyhaven.keyserver.openpgp.Armor;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;

/** {@code keyhaven keys import/export}: offline bulk import with resume, dumps gpg can read. */
class KeysCliTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  static CliRunner.Run run(String... args) {
    return CliRunner.run(args);
  }

  static byte[] dump(int from, int to) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = from; i < to; i++) {
      out.writeBytes(SyntheticKeys.publicKey(SyntheticKeys.identity("cli" + i,
          "Cli User " + i + " <cli" + i + "@example.org>", T0)));
    }
    return out.toByteArray();
  }

  @Test
  void importExport_roundTrip_resumes_andGpgReadsTheDump() throws Exception {
    Path dir = Files.createTempDirectory("keyscli");
    Path bin = dir.resolve("dump.pgp");
    Path asc = dir.resolve("more.asc");
    Files.write(bin, dump(0, 1200));
    Files.writeString(asc, Armor.encodePublicKeys(dump(1200, 1202)));
    String data = dir.resolve("data").toString();

    CliRunner.Run first = run("keys", "import", "--data-dir", data, bin.toString(), asc.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("imported 1202 keys").contains("added 1202")
        .contains("rejected 0");
    assertThat(first.err()).contains("1200 keys");

    CliRunner.Run again = run("keys", "import", "--data-dir", data, bin.toString());
    assertThat(again.err()).contains("resuming after 1200 keys");
    assertThat(again.out()).contains("imported 0 keys");

    CliRunner.Run restart = run("keys", "import", "--data-dir", data, "--restart", "--quiet",
        asc.toString());
    assertThat(restart.out()).contains("unchanged 2");

    // An interrupted import (here: garbage after 1,000 good keys) resumes where it stopped.
    Path broken = dir.resolve("broken.pgp");
    byte[] good = dump(2000, 3000);
    byte[] withTail = java.util.Arrays.copyOf(good, good.length + 2);
    Files.write(broken, withTail);
    CliRunner.Run failed = run("keys", "import", "--data-dir", data, broken.toString());
    assertThat(failed.exit()).isEqualTo(1);
    assertThat(failed.err()).contains("run again to resume");
    CliRunner.Run resumed = run("keys", "import", "--data-dir", data, broken.toString());
    // The garbage is read as part of the 1,000th key, so 999 keys were completed.
    assertThat(resumed.err()).contains("resuming after 999 keys");

    Path out = dir.resolve("export.pgp");
    CliRunner.Run export = run("keys", "export", "--data-dir", data, "-o", out.toString());
    assertThat(export.exit()).as(export.err()).isZero();
    assertThat(export.err()).contains("exported 2201 keys");

    Gpg.requireGpg();
    try (Gpg gpg = Gpg.create(1)) {
      Gpg.Result imp = gpg.run("--import", out.toString());
      assertThat(imp.exit()).as(imp.err()).isZero();
      assertThat(imp.err()).contains("Total number processed: 2201").contains("imported: 2201");
    }
  }
}
