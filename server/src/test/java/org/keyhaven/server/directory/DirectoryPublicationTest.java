package org.keyhaven.server.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.server.KeyhavenServer;
import org.keyhaven.server.ServerConfig;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/**
 * End to end through the real wiring: the CA issues, the outbox carries the certificate into the
 * embedded directory (ldapsearch, curl), revocation removes it, HTTP lookup agrees, a restart
 * catches up with what was committed but never published, and an external slapd that was down
 * gets everything once it is up.
 */
class DirectoryPublicationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BASE = "dc=example,dc=org";

  /** Issues an S/MIME certificate for {@code mail} via the API; returns (serial, DER). */
  static Map.Entry<String, byte[]> issue(String base, String token, Path dir, String mail)
      throws Exception {
    Path key = dir.resolve(UUID.randomUUID() + ".key");
    Path csr = dir.resolve(UUID.randomUUID() + ".csr");
    Ldap.run("openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
        "-nodes", "-keyout", key.toString(), "-out", csr.toString(), "-subj",
        "/O=Example Org/CN=Directory Test", "-addext", "subjectAltName=email:" + mail);
    String body = JSON.writeValueAsString(Map.of("csr", Files.readString(csr),
        "profile", "smime-sign"));
    HttpResponse<String> r = post(base + "/api/v1/cas/ca-mail/certificates", token, body);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode n = JSON.readTree(r.body());
    try (PEMParser p = new PEMParser(new java.io.StringReader(n.get("certificate").asText()))) {
      return Map.entry(n.get("serial").asText(), ((X509CertificateHolder) p.readObject())
          .getEncoded());
    }
  }

  static HttpResponse<String> post(String url, String token, String json) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<byte[]> get(String url) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  static String thunderbird(int port, String mail) {
    return Ldap.search(port, BASE, "(mail=" + mail + ")", "usercertificate;binary");
  }

  @Test
  void issuedCertificate_reachesLdapAndHttp_andRevocationRemovesIt(@TempDir Path dir)
      throws Exception {
    Ldap.require("ldapsearch");
    Ldap.require("curl");
    try (TestServer srv = TestServer.start(TestDatabases.h2Url("dir_" + UUID.randomUUID()
        .toString().substring(0, 8)), -1, 0)) {
      int port = srv.server.ldapPort();
      var cert = issue(srv.base, srv.adminToken, dir, "erin@example.org");
      String tb = Ldap.await(() -> thunderbird(port, "erin@example.org"),
          out -> out.contains("userCertificate;binary"));
      assertThat(Ldap.values(tb, "userCertificate;binary")).singleElement()
          .isEqualTo(cert.getValue());
      String evo = Ldap.search(port, BASE, "(&(userCertificate=*)(|(mail=erin@example.org)))");
      assertThat(Ldap.values(evo, "userCertificate;binary")).singleElement()
          .isEqualTo(cert.getValue());
      HttpResponse<byte[]> http = get(srv.base + "/certs/search?email=erin@example.org");
      assertThat(http.statusCode()).as(new String(http.body())).isEqualTo(200);
      assertThat(http.headers().firstValue("content-type")).hasValue("application/pkix-cert");
      assertThat(http.body()).isEqualTo(cert.getValue());

      var r = srv.postJson("/api/v1/certificates/" + cert.getKey() + "/revoke",
          srv.token("ra-dir", "ra"), "{\"reason\":\"keyCompromise\"}");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      Ldap.await(() -> thunderbird(port, "erin@example.org"),
          out -> !out.contains("userCertificate"));
      assertThat(get(srv.base + "/certs/search?email=erin@example.org").statusCode())
          .isEqualTo(404);
      assertThat(get(srv.base + "/certs/search?email=").statusCode()).isEqualTo(400);

      // The issuing CA's entry carries its CRL; fetch it the way dirmngr does, with an LDAP URL.
      String issuerCn = org.keyhaven.directory.ldap.PgpKeyParser.class.getSimpleName().isEmpty()
          ? "" : new X509CertificateHolder(cert.getValue()).getIssuer().getRDNs(
              org.bouncycastle.asn1.x500.style.BCStyle.CN)[0].getFirst().getValue().toString();
      // The LDAP URL exactly as the certificate's CRL distribution point names it.
      String ldapUrl = null;
      var dps = org.bouncycastle.asn1.x509.CRLDistPoint.getInstance(new X509CertificateHolder(
          cert.getValue()).getExtension(org.bouncycastle.asn1.x509.Extension.cRLDistributionPoints)
          .getParsedValue());
      for (var n : org.bouncycastle.asn1.x509.GeneralNames.getInstance(
          dps.getDistributionPoints()[0].getDistributionPoint().getName()).getNames()) {
        if (n.getName().toString().startsWith("ldap://")) {
          ldapUrl = n.getName().toString();
        }
      }
      assertThat(ldapUrl).startsWith("ldap://127.0.0.1:" + port + "/cn=");
      String url = ldapUrl;
      Path crl = dir.resolve("crl.txt");
      Ldap.await(() -> Ldap.run("curl", "-sS", url),
          out -> out.contains("certificateRevocationList;binary"));
      String text = Ldap.run("curl", "-sS", "-o", crl.toString(), url);
      assertThat(text).isEmpty();
      byte[] der = null;
      for (String line : Files.readString(crl).split("\n")) {
        String t = line.trim();
        if (t.toLowerCase().startsWith("certificaterevocationlist;binary:")) {
          der = java.util.Base64.getDecoder().decode(t.substring(t.indexOf(':') + 1)
              .replace(":", "").trim());
        }
      }
      assertThat(der).isNotNull();
      Files.write(dir.resolve("crl.der"), der);
      String openssl = Ldap.run("openssl", "crl", "-inform", "DER", "-in",
          dir.resolve("crl.der").toString(), "-noout", "-issuer");
      assertThat(openssl).contains(issuerCn);
    }
  }

  @Test
  void restart_catchesUpWithCommittedButUnpublishedChanges(@TempDir Path dir) throws Exception {
    Ldap.require("ldapsearch");
    String db = TestDatabases.h2Url("dircrash_" + UUID.randomUUID().toString().substring(0, 8));
    Map.Entry<String, byte[]> cert;
    Path masterKey;
    // First process: no directory at all, so the outbox row is committed and never published
    // (the state a kill -9 between commit and publication leaves behind).
    try (TestServer first = TestServer.start(db, -1, -1)) {
      assertThat(first.server.ldapPort()).isZero();
      cert = issue(first.base, first.adminToken, dir, "frank@example.org");
      masterKey = first.dataDir.resolve("master-key");
    }
    // Second process on the same database (its own data dir: the admin token already exists;
    // the first one's master secret, which the CA keys in the database are encrypted with).
    ServerConfig own = TestServer.config(Files.createDirectories(dir.resolve("second")), db,
        TestServer.freePort(), 0, TestServer.freePort());
    ServerConfig config = new ServerConfig(own.dataDir(), own.bind(), own.httpPort(),
        own.hkpPort(), own.ldapPort(), own.dbUrl(), own.dbUser(), own.dbPasswordFile(), own.org(),
        own.mailDomains(), own.publicBaseUrl(), masterKey, own.ldapBaseDn(), own.maxBodyBytes());
    try (KeyhavenServer second = KeyhavenServer.start(config, Clock.systemUTC())) {
      String tb = Ldap.await(() -> thunderbird(second.ldapPort(), "frank@example.org"),
          out -> out.contains("userCertificate;binary"));
      assertThat(Ldap.values(tb, "userCertificate;binary")).containsExactly(cert.getValue());
    }
  }

  @Test
  void externalSlapdDown_doesNotBlockEmbedded_andCatchesUpOnceUp(@TempDir Path dir) throws Exception {
    Ldap.require("ldapsearch");
    int slapdPort = Ldap.freePort();
    Path pw = dir.resolve("ldap-password");
    Files.writeString(pw, "secret\n");
    ServerConfig base = TestServer.config(Files.createDirectories(dir.resolve("data")),
        TestDatabases.h2Url("dirext_" + UUID.randomUUID().toString().substring(0, 8)),
        TestServer.freePort(), 0, TestServer.freePort());
    ServerConfig config = new ServerConfig(base.dataDir(), base.bind(), base.httpPort(),
        base.hkpPort(), base.ldapPort(), base.dbUrl(), base.dbUser(), base.dbPasswordFile(),
        base.org(), base.mailDomains(), base.publicBaseUrl(), base.keyPassphraseFile(),
        base.ldapBaseDn(), base.maxBodyBytes(), "ldap://127.0.0.1:" + slapdPort,
        "cn=admin," + BASE, pw);
    KeyhavenServer server = KeyhavenServer.start(config, Clock.systemUTC());
    Process slapd = null;
    try {
      String token = Files.readString(config.dataDir().resolve("admin-token")).strip();
      var cert = issue("http://127.0.0.1:" + server.httpPort(), token, dir, "gina@example.org");
      // slapd is down: the embedded directory must not wait for it.
      String embedded = Ldap.await(() -> thunderbird(server.ldapPort(), "gina@example.org"),
          out -> out.contains("userCertificate;binary"));
      assertThat(Ldap.values(embedded, "userCertificate;binary"))
          .containsExactly(cert.getValue());
      slapd = Ldap.slapd(dir.resolve("slapd"), slapdPort, BASE);
      String tb = Ldap.await(() -> thunderbird(slapdPort, "gina@example.org"),
          out -> out.contains("userCertificate;binary"));
      assertThat(Ldap.values(tb, "userCertificate;binary")).containsExactly(cert.getValue());
      String info = Ldap.search(slapdPort, "cn=pgpServerInfo," + BASE, "(objectClass=*)",
          "pgpBaseKeySpaceDN");
      assertThat(info).contains("ou=GnuPG Keys," + BASE);
    } finally {
      server.close();
      if (slapd != null) {
        slapd.destroy();
        slapd.waitFor();
      }
    }
  }
}
