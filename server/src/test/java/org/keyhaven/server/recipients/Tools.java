package org.keyhaven.server.recipients;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs openssl and gpg for the end-to-end tests; failures carry the tool's output. */
final class Tools {
  record Result(int exit, String out) {}

  private Tools() {}

  static Result run(Path dir, Path gnupgHome, byte[] stdin, String... cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
      if (gnupgHome != null) {
        pb.environment().put("GNUPGHOME", gnupgHome.toString());
      }
      Process p = pb.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin);
      }
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", cmd));
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new AssertionError("cannot run " + cmd[0] + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static String ok(Path dir, Path gnupgHome, String... cmd) {
    Result r = run(dir, gnupgHome, null, cmd);
    if (r.exit() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed (" + r.exit() + "):\n" + r.out());
    }
    return r.out();
  }

  static String openssl(Path dir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    return ok(dir, null, cmd.toArray(String[]::new));
  }

  /** A fresh GNUPGHOME with no passphrases and no agent surprises. */
  static Path gnupgHome(Path parent, String name) throws IOException {
    Path home = Files.createDirectories(parent.resolve(name));
    home.toFile().setReadable(false, false);
    home.toFile().setReadable(true, true);
    home.toFile().setExecutable(false, false);
    home.toFile().setExecutable(true, true);
    Files.writeString(home.resolve("gpg.conf"), "pinentry-mode loopback\nbatch\nno-tty\n");
    Files.writeString(home.resolve("gpg-agent.conf"), "allow-loopback-pinentry\n");
    return home;
  }

  static String gpg(Path dir, Path home, String... args) {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--passphrase", ""));
    cmd.addAll(List.of(args));
    return ok(dir, home, cmd.toArray(String[]::new));
  }

  static void killAgent(Path home) {
    run(home, home, null, "gpgconf", "--kill", "all");
  }
}
