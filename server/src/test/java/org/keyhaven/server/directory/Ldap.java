package org.keyhaven.server.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Real-tool helpers for the directory's server tests: ldapsearch, curl, and a temp slapd. */
final class Ldap {
  private Ldap() {}

  static void require(String tool) {
    boolean found = List.of(System.getenv("PATH").split(File.pathSeparator)).stream()
        .anyMatch(d -> Files.isExecutable(Path.of(d, tool)))
        || Files.isExecutable(Path.of("/usr/sbin", tool));
    if ("true".equals(System.getenv("CI"))) {
      assertThat(found).as(tool + " is missing (see .ci/deps/directory.txt)").isTrue();
    } else {
      assumeTrue(found, tool + " not installed");
    }
  }

  static String run(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return out;
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static String search(int port, String base, String filter, String... attrs) {
    List<String> cmd = new ArrayList<>(List.of("ldapsearch", "-x", "-LLL", "-o", "ldif-wrap=no",
        "-H", "ldap://127.0.0.1:" + port, "-b", base, filter));
    cmd.addAll(List.of(attrs));
    return run(cmd.toArray(new String[0]));
  }

  static List<byte[]> values(String ldif, String attr) {
    List<byte[]> out = new ArrayList<>();
    for (String line : ldif.split("\n")) {
      if (line.toLowerCase().startsWith(attr.toLowerCase() + ":: ")) {
        out.add(Base64.getDecoder().decode(line.substring(attr.length() + 3).trim()));
      }
    }
    return out;
  }

  /** Polls {@code probe} until it holds (the worker publishes asynchronously). */
  static String await(java.util.function.Supplier<String> probe, Predicate<String> done) {
    String last = null;
    for (int i = 0; i < 150; i++) {
      last = probe.get();
      if (done.test(last)) {
        return last;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("condition not reached; last result:\n" + last);
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A throw-away slapd (mdb) on {@code port} with the GnuPG schema; rootdn cn=admin. */
  static Process slapd(Path dir, int port, String suffix) throws Exception {
    require("slapd");
    Files.createDirectories(dir.resolve("db"));
    StringBuilder schema = new StringBuilder();
    try (InputStream in = Ldap.class.getResourceAsStream(
        "/org/keyhaven/directory/embedded/gnupg-schema.ldif")) {
      for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (l.startsWith("attributeTypes: ")) {
          schema.append("attributetype ").append(l.substring(16)).append('\n');
        } else if (l.startsWith("objectClasses: ")) {
          schema.append("objectclass ").append(l.substring(15)).append('\n');
        }
      }
    }
    Files.writeString(dir.resolve("gnupg.schema"), schema);
    Files.writeString(dir.resolve("slapd.conf"), String.join("\n",
        "include /etc/ldap/schema/core.schema", "include /etc/ldap/schema/cosine.schema",
        "include /etc/ldap/schema/inetorgperson.schema", "include " + dir.resolve("gnupg.schema"),
        "pidfile " + dir.resolve("slapd.pid"), "modulepath /usr/lib/ldap",
        "moduleload back_mdb", "access to * by * read", "database mdb",
        "suffix \"" + suffix + "\"", "rootdn \"cn=admin," + suffix + "\"", "rootpw secret",
        "directory " + dir.resolve("db"), "maxsize 1073741824", "index mail,uid eq", ""));
    String slapd = Files.isExecutable(Path.of("/usr/sbin/slapd")) ? "/usr/sbin/slapd" : "slapd";
    Process p = new ProcessBuilder(slapd, "-h", "ldap://127.0.0.1:" + port + "/", "-f",
        dir.resolve("slapd.conf").toString(), "-d", "0").redirectErrorStream(true)
        .redirectOutput(dir.resolve("slapd.log").toFile()).start();
    await(() -> run("ldapsearch", "-x", "-H", "ldap://127.0.0.1:" + port, "-s", "base", "-b",
        "", "namingContexts"), out -> out.contains("namingContexts"));
    return p;
  }
}
