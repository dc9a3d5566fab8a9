package org.keyhaven.directory;

import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A throw-away Debian slapd (mdb) on a loopback port with a temp config: core, cosine,
 * inetorgperson and the GnuPG schema (restated from the embedded server's LDIF), anonymous read,
 * rootdn writes. See /work/shared/recipes/slapd-peer.sh for the gotchas.
 */
public final class SlapdPeer implements AutoCloseable {
  public static final String ROOT_DN = "cn=admin,dc=example,dc=org";
  public static final String ROOT_PW = "secret";
  public final Path dir;
  public final int port;
  private final Process process;

  private SlapdPeer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  public static SlapdPeer start(String suffix) throws Exception {
    Tools.require("slapd");
    Tools.require("ldapsearch");
    Path dir = Files.createTempDirectory("kh-slapd");
    Files.createDirectories(dir.resolve("db"));
    Files.writeString(dir.resolve("gnupg.schema"), slapdSchema());
    Files.writeString(dir.resolve("slapd.conf"), String.join("\n",
        "include /etc/ldap/schema/core.schema",
        "include /etc/ldap/schema/cosine.schema",
        "include /etc/ldap/schema/inetorgperson.schema",
        "include " + dir.resolve("gnupg.schema"),
        "pidfile " + dir.resolve("slapd.pid"),
        "modulepath /usr/lib/ldap",
        "moduleload back_mdb",
        "access to * by * read",
        "sizelimit 500",
        "database mdb",
        "suffix \"" + suffix + "\"",
        "rootdn \"" + ROOT_DN + "\"",
        "rootpw " + ROOT_PW,
        "directory " + dir.resolve("db"),
        "maxsize 1073741824",
        "index objectClass eq",
        "index mail,uid eq",
        "index pgpCertID,pgpKeyID,gpgFingerprint,gpgSubFingerprint,gpgMailbox eq",
        ""));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String slapd = Files.isExecutable(Path.of("/usr/sbin/slapd")) ? "/usr/sbin/slapd" : "slapd";
    ProcessBuilder pb = new ProcessBuilder(slapd, "-h", "ldap://127.0.0.1:" + port + "/", "-f",
        dir.resolve("slapd.conf").toString(), "-d", "0");
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve("slapd.log").toFile());
    Process p = pb.start();
    SlapdPeer peer = new SlapdPeer(dir, port, p);
    for (int i = 0; i < 100; i++) {
      if (Tools.run("ldapsearch", "-x", "-H", "ldap://127.0.0.1:" + port, "-s", "base", "-b",
          "", "namingContexts").exit() == 0) {
        return peer;
      }
      if (!p.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    peer.close();
    throw new AssertionError("slapd did not start: " + Files.readString(dir.resolve("slapd.log")));
  }

  /** The embedded server's subschema LDIF, restated in slapd.conf syntax. */
  static String slapdSchema() throws Exception {
    try (InputStream in = SlapdPeer.class.getResourceAsStream(
        "/org/keyhaven/directory/embedded/gnupg-schema.ldif")) {
      StringBuilder out = new StringBuilder();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.startsWith("attributeTypes: ")) {
          out.append("attributetype ").append(line.substring(16)).append('\n');
        } else if (line.startsWith("objectClasses: ")) {
          out.append("objectclass ").append(line.substring(15)).append('\n');
        }
      }
      return out.toString();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroyForcibly();
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (java.io.IOException e) {
      // a leftover temp dir is harmless
    }
  }
}
