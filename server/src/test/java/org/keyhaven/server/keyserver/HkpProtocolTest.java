package org.keyhaven.server.keyserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.openpgp.Armor;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;
import org.keyhaven.keyserver.openpgp.SyntheticKeys.Identity;
import org.keyhaven.server.TestServer;
import org.keyhaven.testkit.TestDatabases;

/** HKP on the wire: content types, status codes, exact mr output, uploads, admin removal. */
class HkpProtocolTest {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final Identity ALICE = SyntheticKeys.identity("alice", "Alice Example <alice@example.org>",
      T0);
  static final Fingerprint A = Fingerprint.of(ALICE.publicKey().getFingerprint());
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(TestDatabases.h2Url("hkpproto"), 0, -1);
    HttpResponse<String> r = addForm(Armor.encodePublicKeys(SyntheticKeys.publicKey(ALICE)));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body()).startsWith("added 1, updated 0, unchanged 0, rejected 0\n");
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static HttpResponse<String> addForm(String keytext) {
    return server.send("POST", "/pks/add", null, "application/x-www-form-urlencoded",
        ("keytext=" + URLEncoder.encode(keytext, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.US_ASCII));
  }

  /** Packet-header-format-independent form of a key: its verified canonical encoding. */
  static byte[] canonical(byte[] key) {
    var limits = org.keyhaven.keyserver.openpgp.PgpLimits.defaults();
    var block = (org.keyhaven.keyserver.openpgp.KeyBlock)
        new org.keyhaven.keyserver.openpgp.PgpKeyReader(limits).read(key).get(0);
    return new org.keyhaven.keyserver.openpgp.KeyringMerger(limits).verify(block).firstParty()
        .encode();
  }

  static String type(HttpResponse<String> r) {
    return r.headers().firstValue("Content-Type").orElse("");
  }

  static Stream<String> searches() {
    String f = A.upperHex();
    return Stream.of("0x" + f, "0x" + f.toLowerCase(), f, "0x" + f.substring(24),
        "0x" + f.substring(32), "alice@example.org&exact=on");
  }

  @ParameterizedTest
  @MethodSource("searches")
  void get_mr_returnsArmoredKey(String search) {
    HttpResponse<String> r = server.get("/pks/lookup?op=get&options=mr&search=" + search, null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(type(r)).startsWith("application/pgp-keys");
    assertThat(r.headers().firstValue("X-HKP-Results-Count")).hasValue("1");
    assertThat(canonical(Armor.decode(r.body().getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo(canonical(SyntheticKeys.publicKey(ALICE)));
  }

  @Test
  void get_bySubkeyFingerprint_returnsPrimaryKey() {
    String sub = Fingerprint.of(ALICE.subkey().getPublicKey().getFingerprint()).upperHex();
    HttpResponse<String> r = server.get("/pks/lookup?op=get&options=mr&search=0x" + sub, null);
    assertThat(r.statusCode()).isEqualTo(200);
  }

  @Test
  void index_mr_isExactlyTheDraftFormat() {
    String expected = "info:1:1\npub:" + A.upperHex() + ":22:256:1735689600::\n"
        + "uid:Alice Example <alice@example.org>:1735689600::\n";
    for (String q : new String[] {"op=index&options=mr&fingerprint=on&search=alice%40example.org",
        "op=vindex&options=mr&search=Alice%20Ex", "op=index&options=mr&search=0x" + A}) {
      HttpResponse<String> r = server.get("/pks/lookup?" + q, null);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(type(r)).startsWith("text/plain");
      assertThat(r.body()).isEqualTo(expected);
    }
  }

  @Test
  void index_html_escapesUserInput() {
    HttpResponse<String> r = server.get("/pks/lookup?op=index&search=alice%40example.org", null);
    assertThat(type(r)).startsWith("text/html");
    assertThat(r.body()).contains("Alice Example &lt;alice@example.org&gt;")
        .contains(A.upperHex());
    HttpResponse<String> g = server.get("/pks/lookup?op=get&search=0x" + A, null);
    assertThat(type(g)).startsWith("text/html");
    assertThat(g.body()).contains("-----BEGIN PGP PUBLIC KEY BLOCK-----");
  }

  @Test
  void hget_bySksHashOfTheServedKey_returnsWhatGetReturns() {
    HttpResponse<String> get = server.get("/pks/lookup?op=get&options=mr&search=0x" + A, null);
    String hash = org.keyhaven.keyserver.openpgp.SksKeyHash.of(
        Armor.decode(get.body().getBytes(StandardCharsets.US_ASCII)));
    for (String h : new String[] {hash, hash.toLowerCase(java.util.Locale.ROOT)}) {
      HttpResponse<String> r = server.get("/pks/lookup?op=hget&options=mr&search=" + h, null);
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(type(r)).startsWith("application/pgp-keys");
      assertThat(r.headers().firstValue("X-HKP-Results-Count")).hasValue("1");
      assertThat(r.body()).isEqualTo(get.body());
    }
    // SKS's hash=on in the HTML index shows the same hash, linked to op=hget.
    HttpResponse<String> index = server.get("/pks/lookup?op=index&hash=on&search=0x" + A, null);
    assertThat(index.body()).contains("Hash=<a href=\"/pks/lookup?op=hget&amp;search=" + hash
        + "\">" + hash + "</a>");
  }

  @Test
  void stats_countsKeys() {
    HttpResponse<String> r = server.get("/pks/lookup?op=stats", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).containsPattern("Total number of keys: [1-9]");
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("/pks/lookup?search=abc", 400, "missing parameter op"),
        Arguments.of("/pks/lookup?op=get", 400, "missing parameter search"),
        Arguments.of("/pks/lookup?op=frob&search=abc", 400, "unknown op"),
        Arguments.of("/pks/lookup?op=hget&search=abc", 400, "SKS key hash"),
        Arguments.of("/pks/lookup?op=hget&options=mr&search=00000000000000000000000000000000",
            404, "No keys found"),
        Arguments.of("/pks/lookup?op=x-frob&search=abc", 501, "not supported"),
        Arguments.of("/pks/lookup?op=get&search=0x123", 400, "hex digits"),
        Arguments.of("/pks/lookup?op=get&options=mr&search=0x"
            + "0000000000000000000000000000000000000000", 404, "No keys found"),
        Arguments.of("/pks/lookup?op=index&options=mr&search=nobody%40example.org", 404,
            "No keys found"),
        Arguments.of("/pks/lookup?op=index&search=ab", 400, "at least 3"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void lookupErrors_areTextPlainWithReason(String path, int status, String reason) {
    HttpResponse<String> r = server.get(path, null);
    assertThat(r.statusCode()).isEqualTo(status);
    assertThat(type(r)).startsWith("text/plain");
    assertThat(r.body()).contains(reason);
  }

  @Test
  void add_errors_areTextPlainWithReason() {
    HttpResponse<String> garbage = addForm("this is not a key");
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(type(garbage)).startsWith("text/plain");
    assertThat(garbage.body()).contains("BEGIN PGP PUBLIC KEY BLOCK");
    HttpResponse<String> missing = server.send("POST", "/pks/add", null,
        "application/x-www-form-urlencoded", "other=1".getBytes(StandardCharsets.US_ASCII));
    assertThat(missing.statusCode()).isEqualTo(400);
    assertThat(missing.body()).contains("keytext");
    Identity bob = SyntheticKeys.identity("bob", "Bob <bob@example.org>", T0);
    byte[] noSelfSig = org.keyhaven.keyserver.openpgp.Packet.decode(
        org.keyhaven.keyserver.openpgp.SyntheticKeys.userIdPacket("x")).encoded();
    byte[] keyOnly;
    try {
      keyOnly = bob.publicKey().getPublicKeyPacket().getEncoded();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    byte[] data = new byte[keyOnly.length + noSelfSig.length];
    System.arraycopy(keyOnly, 0, data, 0, keyOnly.length);
    System.arraycopy(noSelfSig, 0, data, keyOnly.length, noSelfSig.length);
    HttpResponse<String> unsigned = addForm(Armor.encodePublicKeys(data));
    assertThat(unsigned.statusCode()).isEqualTo(422);
    assertThat(unsigned.body()).contains("no user ID with a valid self-signature");
    HttpResponse<String> again = addForm(Armor.encodePublicKeys(SyntheticKeys.publicKey(ALICE)));
    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(again.body()).contains("unchanged 1");
  }

  /**
   * Repeated lookups are answered by FastPath from the response cache: the same status, headers
   * and bytes as the pipeline's answer; an upload anywhere makes the next lookup see it, even
   * when the earlier answer was a cached 404.
   */
  @Test
  void repeatedLookup_fastPathAnswersIdentically_andAnUploadShowsAtOnce() {
    Identity dora = SyntheticKeys.identity("dora", "Dora <dora@example.org>", T0);
    String d = Fingerprint.of(dora.publicKey().getFingerprint()).upperHex();
    String path = "/pks/lookup?op=get&options=mr&search=0x" + d;
    assertThat(server.get(path, null).statusCode()).isEqualTo(404);
    assertThat(server.get(path, null).statusCode()).as("cached 404").isEqualTo(404);
    assertThat(addForm(Armor.encodePublicKeys(SyntheticKeys.publicKey(dora))).statusCode())
        .isEqualTo(200);
    HttpResponse<String> first = server.get(path, null);
    assertThat(first.statusCode()).as("the upload dropped the cached 404").isEqualTo(200);
    // That first answer came from the pipeline (the cache was empty); the next from FastPath.
    double before = fastCount();
    HttpResponse<String> second = server.get(path, null);
    assertThat(fastCount()).as("answered by the fast path").isGreaterThan(before);
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(first.body());
    for (String h : new String[] {"content-type", "access-control-allow-origin", "cache-control",
        "content-length"}) {
      assertThat(second.headers().firstValue(h)).as(h).isEqualTo(first.headers().firstValue(h));
    }
    java.util.Set<String> names = new java.util.TreeSet<>(first.headers().map().keySet());
    names.remove("date");
    java.util.Set<String> fastNames = new java.util.TreeSet<>(second.headers().map().keySet());
    fastNames.remove("date");
    assertThat(fastNames).isEqualTo(names);
  }

  private static double fastCount() {
    double n = 0;
    for (String line : server.get("/metrics", null).body().split("\n")) {
      if (line.startsWith("keyhaven_fast_path_hits_total{")
          && line.contains("route=\"/pks/lookup\"")) {
        n += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return n;
  }

  @Test
  void hkpPort_servesPksOnly() {
    int hkp = server.server.hkpPort();
    var http = java.net.http.HttpClient.newHttpClient();
    try {
      var ok = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          "http://127.0.0.1:" + hkp + "/pks/lookup?op=get&options=mr&search=0x" + A)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      var api = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
          "http://127.0.0.1:" + hkp + "/api/v1/tokens")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(api.statusCode()).isEqualTo(404);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void adminRemoval_blocksReupload_untilAllowed_andIsAudited() {
    Identity carol = SyntheticKeys.identity("carol", "Carol <carol@example.org>", T0);
    String c = Fingerprint.of(carol.publicKey().getFingerprint()).upperHex();
    String armored = Armor.encodePublicKeys(SyntheticKeys.publicKey(carol));
    assertThat(addForm(armored).statusCode()).isEqualTo(200);
    String admin = server.adminToken;
    assertThat(server.send("DELETE", "/api/v1/keys/" + c, null, null, null).statusCode())
        .isEqualTo(401);
    HttpResponse<String> del = server.send("DELETE", "/api/v1/keys/" + c + "?reason=gdpr", admin,
        null, null);
    assertThat(del.statusCode()).as(del.body()).isEqualTo(200);
    assertThat(server.get("/pks/lookup?op=get&options=mr&search=0x" + c, null).statusCode())
        .isEqualTo(404);
    HttpResponse<String> blocked = addForm(armored);
    assertThat(blocked.statusCode()).isEqualTo(403);
    assertThat(blocked.body()).contains("removed by an administrator");
    assertThat(server.send("POST", "/api/v1/keys/" + c + "/allow", admin, null, null)
        .statusCode()).isEqualTo(200);
    assertThat(addForm(armored).statusCode()).isEqualTo(200);
    HttpResponse<String> audit = server.get("/api/v1/audit?limit=1000", admin);
    assertThat(audit.body()).contains("key.remove").contains("key.allow").contains(c);
  }
}
