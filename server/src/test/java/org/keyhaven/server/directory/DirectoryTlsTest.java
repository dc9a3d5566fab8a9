package org.keyhaven.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.KeyhavenServer;
import org.keyhaven.server.ServerConfig;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/**
 * LDAPS and StartTLS on the embedded directory, judged by Debian's ldapsearch (libldap with
 * GnuTLS): it must verify the server certificate against the root CA's PEM alone and find an
 * issued certificate over both; without that trust anchor it must refuse.
 */
class DirectoryTlsTest {
  static final String BASE = DirectoryPublicationTest.BASE;

  static ProcessResult ldapsearch(Path caFile, String... args) {
    List<String> cmd = new ArrayList<>(List.of("ldapsearch", "-x", "-LLL", "-o",
        "ldif-wrap=no"));
    cmd.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      // Only this file is trusted; LDAPTLS_REQCERT=demand is libldap's default, stated anyway.
      pb.environment().put("LDAPTLS_CACERT", caFile.toString());
      pb.environment().put("LDAPTLS_REQCERT", "demand");
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return new ProcessResult(p.exitValue(), out);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  record ProcessResult(int exit, String out) {}

  @Test
  void ldapsAndStartTls_verifyAgainstTheRootCa_andServeTheDirectory(@TempDir Path dir)
      throws Exception {
    Ldap.require("ldapsearch");
    Ldap.require("openssl");
    Path data = Files.createTempDirectory("keyhaven-tls");
    ServerConfig config = TestServer.config(data, TestDatabases.h2Url("tls_" + UUID.randomUUID()
            .toString().substring(0, 8)), TestServer.freePort(), 0, TestServer.freePort())
        .withLdapTls(TestServer.freePort(), true);
    try (KeyhavenServer srv = KeyhavenServer.start(config, Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + srv.httpPort();
      String token = Files.readString(data.resolve("admin-token")).strip();
      var cert = DirectoryPublicationTest.issue(base, token, dir, "tess@example.org");
      Path root = dir.resolve("root.pem");
      Files.write(root, DirectoryPublicationTest.get(base + "/ca/root.pem").body());
      int ldap = srv.ldapPort();
      int ldaps = srv.ldapsPort();
      assertThat(ldaps).isPositive();

      // LDAPS by IP (iPAddress SAN). Not ldaps://localhost: libldap then checks the machine's
      // own host name (ldap_host_connected_to), whatever the certificate says.
      String out = Ldap.await(() -> ldapsearch(root, "-H", "ldaps://127.0.0.1:" + ldaps, "-b",
          BASE, "(mail=tess@example.org)", "userCertificate;binary").out(),
          o -> o.contains("userCertificate;binary"));
      assertThat(Ldap.values(out, "userCertificate;binary")).singleElement()
          .isEqualTo(cert.getValue());
      // StartTLS on the plain port; -ZZ makes ldapsearch fail unless TLS is established.
      ProcessResult starttls = ldapsearch(root, "-ZZ", "-H", "ldap://127.0.0.1:" + ldap, "-b",
          BASE, "(mail=tess@example.org)", "userCertificate;binary");
      assertThat(starttls.exit()).as(starttls.out()).isZero();
      assertThat(Ldap.values(starttls.out(), "userCertificate;binary")).singleElement()
          .isEqualTo(cert.getValue());

      // The certificate is what openssl sees on the wire: tls-server usage, loopback names,
      // issued by the root and valid for a bounded time.
      String sclient = Ldap.run("sh", "-c", "openssl s_client -connect 127.0.0.1:" + ldaps
          + " -CAfile " + root + " -verify_return_error -verify_ip 127.0.0.1 </dev/null"
          + " 2>&1 | openssl x509 -noout -text -ext subjectAltName,extendedKeyUsage");
      assertThat(sclient).contains("TLS Web Server Authentication", "DNS:localhost",
          "IP Address:127.0.0.1");
      for (String check : List.of("-verify_ip 127.0.0.1", "-verify_hostname localhost")) {
        String verify = Ldap.run("sh", "-c", "openssl s_client -connect 127.0.0.1:" + ldaps
            + " -CAfile " + root + " -verify_return_error " + check + " </dev/null 2>&1");
        assertThat(verify).as(check).contains("Verify return code: 0 (ok)");
      }

      // Trusting another CA: both TLS paths refuse (the client really verified).
      Path other = dir.resolve("other.pem");
      Files.write(other, DirectoryPublicationTest.get(base + "/ca/ca-mail.pem").body());
      Path otherKey = dir.resolve("self.key");
      Ldap.run("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
          "ec_paramgen_curve:P-256", "-nodes", "-keyout", otherKey.toString(), "-out",
          other.toString(), "-subj", "/CN=Someone Else", "-days", "1");
      assertThat(ldapsearch(other, "-H", "ldaps://127.0.0.1:" + ldaps, "-b", BASE,
          "(mail=tess@example.org)").exit()).isNotZero();
      assertThat(ldapsearch(other, "-ZZ", "-H", "ldap://127.0.0.1:" + ldap, "-b", BASE,
          "(mail=tess@example.org)").exit()).isNotZero();

    }
  }

  @Test
  void byDefault_thereIsNoTls_andStartTlsIsAnLdapError(@TempDir Path dir) throws Exception {
    Ldap.require("ldapsearch");
    try (TestServer srv = TestServer.start(TestDatabases.h2Url("notls_" + UUID.randomUUID()
        .toString().substring(0, 8)), -1, 0)) {
      assertThat(srv.server.ldapsPort()).isZero();
      Path root = dir.resolve("root.pem");
      Files.write(root, DirectoryPublicationTest.get(srv.base + "/ca/root.pem").body());
      ProcessResult r = ldapsearch(root, "-ZZ", "-H", "ldap://127.0.0.1:" + srv.server.ldapPort(),
          "-b", BASE, "(objectClass=*)");
      assertThat(r.exit()).isNotZero();
      // RFC 4511 §4.14.2: an LDAP result, here unwillingToPerform (53).
      assertThat(r.out()).contains("(53)");
      // The plain listener still answers afterwards (the refusal was a result, not a crash).
      assertThat(Ldap.run("ldapsearch", "-x", "-LLL", "-H", "ldap://127.0.0.1:"
          + srv.server.ldapPort(), "-s", "base", "-b", "", "(objectClass=*)", "namingContexts"))
          .contains("namingContexts: " + BASE);
    }
  }
}
