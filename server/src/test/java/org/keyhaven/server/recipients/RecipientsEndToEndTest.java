package org.keyhaven.server.recipients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.client.KeyhavenClient;
import org.keyhaven.client.Recipient;
import org.keyhaven.server.TestServer;

/**
 * End to end with real tools: an smime-encrypt certificate issued from an openssl CSR and a gpg
 * key certified by an organisation key that is the server's trust root, both for
 * alice@example.org; looked up through the API (and the Java client), then {@code openssl cms
 * -encrypt} and {@code gpg --encrypt} to what was looked up decrypt with the holder's keys. After
 * revoking the certificate and uploading the key's revocation, neither is offered as usable. WKD
 * serves the key under the hash GnuPG computes.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.MethodName.class)
class RecipientsEndToEndTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static TestServer srv;
  static Path dir;
  static Path alice;
  static Path org;
  static String aliceFpr;

  @BeforeAll
  static void setUp() throws Exception {
    srv = TestServer.start();
    dir = Files.createTempDirectory("kh-recipients");
    alice = Tools.gnupgHome(dir, "alice-gnupg");
    org = alice; // one keyring holds both secret keys: the org key certifies alice's
    Tools.gpg(dir, alice, "--quick-gen-key", "Example Org Root <pgp-root@example.org>", "ed25519", "cert", "never");
    Tools.gpg(dir, alice, "--quick-gen-key", "Alice <alice@example.org>", "future-default", "default", "never");
    aliceFpr = fingerprintOf("alice@example.org");
    String rootFpr = fingerprintOf("pgp-root@example.org");
    Tools.gpg(dir, alice, "--default-key", rootFpr, "--quick-sign-key", aliceFpr);
    String armored = Tools.gpg(dir, alice, "--armor", "--export", rootFpr, aliceFpr);
    var add = srv.send("POST", "/pks/add", null, "application/x-www-form-urlencoded",
        ("keytext=" + URLEncoder.encode(armored, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(add.statusCode()).as(add.body()).isEqualTo(200);
    var roots = srv.postJson("/api/v1/wot/roots", srv.adminToken,
        JSON.writeValueAsString(Map.of("ownertrust", Map.of(rootFpr, "ultimate"))));
    assertThat(roots.statusCode()).as(roots.body()).isEqualTo(200);

    Tools.openssl(dir, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "alice.key");
    Tools.openssl(dir, "req", "-new", "-key", "alice.key", "-subj", "/O=Example Org/CN=Alice",
        "-addext", "subjectAltName=email:alice@example.org", "-out", "alice.csr");
    var issued = srv.postJson("/api/v1/cas/ca-mail/certificates", srv.adminToken, JSON.writeValueAsString(
        Map.of("csr", Files.readString(dir.resolve("alice.csr")), "profile", "smime-encrypt")));
    assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
  }

  static String fingerprintOf(String email) {
    for (String line : Tools.gpg(dir, alice, "--with-colons", "--fingerprint", email).split("\n")) {
      if (line.startsWith("fpr:")) {
        return line.split(":")[9];
      }
    }
    throw new AssertionError("no fingerprint for " + email);
  }

  @AfterAll
  static void tearDown() {
    Tools.killAgent(alice);
    if (srv != null) {
      srv.close();
    }
  }

  JsonNode lookup(String query) throws Exception {
    var r = srv.get("/api/v1/recipients/alice%40example.org" + query, null);
    return r.statusCode() == 404 ? null : JSON.readTree(r.body());
  }

  @Test
  void lookup_offersBothKeys_andBothEncryptToTheHolder() throws Exception {
    JsonNode a = lookup("");
    assertThat(a).isNotNull();
    JsonNode cert = a.get("smime").get(0);
    assertThat(cert.get("usable").asBoolean()).isTrue();
    assertThat(cert.get("preferred").asBoolean()).isTrue();
    assertThat(cert.get("usages").toString()).contains("encrypt");
    assertThat(cert.get("chain").size()).isEqualTo(3);
    JsonNode key = a.get("openpgp").get(0);
    assertThat(key.get("fingerprint").asText()).isEqualTo(aliceFpr);
    assertThat(key.get("validity").asText()).isEqualTo("full");
    assertThat(key.get("encryptionSubkey").isNull()).isFalse();

    // S/MIME: encrypt to the looked-up certificate, decrypt with Alice's key.
    Files.writeString(dir.resolve("msg.txt"), "Hello Alice, this is S/MIME.\n");
    Files.writeString(dir.resolve("looked-up.pem"), cert.get("certificate").asText());
    Tools.openssl(dir, "cms", "-encrypt", "-binary", "-aes256", "-in", "msg.txt", "-out", "msg.p7m", "looked-up.pem");
    Tools.openssl(dir, "cms", "-decrypt", "-binary", "-in", "msg.p7m", "-inkey", "alice.key", "-out", "msg.out");
    assertThat(Files.readString(dir.resolve("msg.out"))).isEqualTo("Hello Alice, this is S/MIME.\n");

    // OpenPGP: a sender imports the looked-up key into an empty keyring and encrypts to it.
    var client = KeyhavenClient.create(URI.create(srv.base), Duration.ofSeconds(10));
    String keys = client.openPgpKeys("alice@example.org").orElseThrow();
    Path sender = Tools.gnupgHome(dir, "sender-gnupg");
    Files.writeString(dir.resolve("alice.asc"), keys);
    Tools.gpg(dir, sender, "--import", "alice.asc");
    Files.writeString(dir.resolve("pgp.txt"), "Hello Alice, this is OpenPGP.\n");
    Tools.gpg(dir, sender, "--trust-model", "always", "--armor", "--output", "pgp.asc",
        "--recipient", aliceFpr, "--encrypt", "pgp.txt");
    Tools.gpg(dir, alice, "--output", "pgp.out", "--decrypt", "pgp.asc");
    assertThat(Files.readString(dir.resolve("pgp.out"))).isEqualTo("Hello Alice, this is OpenPGP.\n");
    Tools.killAgent(sender);

    // The Java client sees the same answer.
    Recipient r = client.lookup("Alice@Example.org").orElseThrow();
    assertThat(r.encryptionCertificate()).isPresent();
    assertThat(r.usableKeys()).extracting(Recipient.OpenPgp::fingerprint).containsExactly(aliceFpr);
  }

  @Test
  void hkpIndexAndKeyPage_showValidityFromTheServersRoot() {
    var index = srv.get("/pks/lookup?op=index&search=alice%40example.org", null);
    assertThat(index.statusCode()).isEqualTo(200);
    assertThat(index.body()).contains(aliceFpr).contains("[validity: full]");
    String page = srv.get("/keys/" + aliceFpr, null).body();
    assertThat(page).contains("<dd id=\"validity\">full</dd>");
    assertThat(page).contains("id=\"certifications\"").contains(fingerprintOf("pgp-root@example.org"));
  }

  @Test
  void batchLookup_answersAThousandAddressesInOneCall() throws Exception {
    List<String> emails = new java.util.ArrayList<>();
    emails.add("alice@example.org");
    for (int i = 0; i < 999; i++) {
      emails.add("member" + i + "@example.org");
    }
    var r = srv.postJson("/api/v1/recipients", null, JSON.writeValueAsString(Map.of("emails", emails)));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("found").asInt()).isEqualTo(1);
    assertThat(body.get("missing").size()).isEqualTo(999);
    assertThat(body.get("recipients").get("alice@example.org").get("smime").size()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void wkd_servesTheKeyUnderGnupgsHash() throws Exception {
    String hashLine = Tools.ok(dir, null, "/usr/lib/gnupg/gpg-wks-client", "--print-wkd-hash", "alice@example.org");
    String hash = hashLine.strip().split(" ")[0];
    HttpClient http = HttpClient.newHttpClient();
    for (String path : List.of("/.well-known/openpgpkey/hu/" + hash + "?l=alice",
        "/.well-known/openpgpkey/example.org/hu/" + hash + "?l=alice")) {
      HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(srv.base + path)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/octet-stream");
      Path fresh = Tools.gnupgHome(dir, "wkd-" + Math.abs(path.hashCode()));
      Files.write(dir.resolve("wkd.bin"), r.body());
      String out = Tools.gpg(dir, fresh, "--import", "wkd.bin");
      assertThat(out).contains("alice@example.org");
      assertThat(Tools.gpg(dir, fresh, "--with-colons", "--list-keys")).contains(aliceFpr);
      Tools.killAgent(fresh);
    }
    assertThat(srv.get("/.well-known/openpgpkey/policy", null).statusCode()).isEqualTo(200);
    assertThat(srv.get("/.well-known/openpgpkey/hu/" + hash + "?l=bob", null).statusCode()).isEqualTo(404);
  }

  @Test
  void z_afterRevokingBoth_neitherIsUsable() throws Exception {
    JsonNode before = lookup("");
    String serial = before.get("smime").get(0).get("serial").asText();
    var rev = srv.postJson("/api/v1/certificates/" + serial + "/revoke", srv.adminToken,
        "{\"reason\":\"keyCompromise\"}");
    assertThat(rev.statusCode()).as(rev.body()).isEqualTo(200);
    // gpg wrote a revocation certificate at key generation; the owner publishes it.
    String rev1 = Files.readString(alice.resolve("openpgp-revocs.d").resolve(aliceFpr + ".rev"));
    Files.writeString(dir.resolve("revoke.asc"), rev1.replace(":-----BEGIN", "-----BEGIN"));
    Tools.gpg(dir, alice, "--import", "revoke.asc");
    String revoked = Tools.gpg(dir, alice, "--armor", "--export", aliceFpr);
    var add = srv.send("POST", "/pks/add", null, "application/x-www-form-urlencoded",
        ("keytext=" + URLEncoder.encode(revoked, StandardCharsets.UTF_8)).getBytes(StandardCharsets.US_ASCII));
    assertThat(add.statusCode()).as(add.body()).isEqualTo(200);

    assertThat(lookup("")).as("nothing usable is offered").isNull();
    JsonNode all = lookup("?all=true");
    JsonNode cert = all.get("smime").get(0);
    assertThat(cert.get("usable").asBoolean()).isFalse();
    assertThat(cert.get("status").asText()).isEqualTo("revoked");
    assertThat(cert.get("revocationReason").asText()).isEqualTo("keyCompromise");
    JsonNode key = all.get("openpgp").get(0);
    assertThat(key.get("usable").asBoolean()).isFalse();
    assertThat(key.get("reasons").toString()).contains("revoked");
  }
}
