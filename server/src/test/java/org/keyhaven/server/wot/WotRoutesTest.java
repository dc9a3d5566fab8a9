package org.keyhaven.server.wot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.keyserver.wot.Network;
import org.keyhaven.keyserver.wot.NetworkBuilder;
import org.keyhaven.keyserver.wot.OwnerTrust;
import org.keyhaven.keyserver.wot.TrustRootStore;
import org.keyhaven.keyserver.wot.WotService;
import org.keyhaven.keyserver.wot.openpgp.KeyringNetworkReader;
import org.keyhaven.server.http.ErrorMapping;
import org.keyhaven.server.http.JsonBodies;
import org.keyhaven.server.http.keyserver.WotRoutes;

/**
 * The WoT REST API over real HTTP on the GnuPG scenario fixture (keyserver test vectors): the
 * evaluation must equal GnuPG's answer for every key and user ID; paths, key reports, stats and
 * error answers. Auth of the root routes is the server's AuthHandler (tested with the wiring).
 */
class WotRoutesTest {

  private static final Path FIXTURE =
      Path.of("../keyserver/src/test/resources/vectors/wot/scenarios");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Javalin app;
  private static String base;
  private static JsonNode expected;
  private static Map<String, String> ownerTrust;
  private static final Map<String, OwnerTrust> serverRoot = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    expected = JSON.readTree(FIXTURE.resolve("expected.json").toFile());
    ownerTrust = new LinkedHashMap<>();
    for (String line : Files.readAllLines(FIXTURE.resolve("ownertrust.txt"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] f = line.split(":");
        ownerTrust.put(f[0], OwnerTrust.ofCode(Integer.parseInt(f[1])).word());
      }
    }
    Network network;
    try (InputStream in = Files.newInputStream(FIXTURE.resolve("keyring.asc"))) {
      network = KeyringNetworkReader.addAll(new NetworkBuilder(), KeyringNetworkReader.read(in))
          .build();
    }
    Instant at = Instant.ofEpochSecond(expected.get("evaluated_at").asLong());
    TrustRootStore roots = new TrustRootStore() {
      @Override
      public Map<String, OwnerTrust> load() {
        return Map.copyOf(serverRoot);
      }

      @Override
      public void replace(Map<String, OwnerTrust> assignments, String actor) {
        serverRoot.clear();
        serverRoot.putAll(assignments);
      }
    };
    WotService service = new WotService(() -> network, roots, (a, b, c, d, e) -> { },
        Clock.fixed(at, ZoneOffset.UTC));
    app = Javalin.create(cfg -> {
      cfg.startup.showJavalinBanner = false;
      cfg.jsonMapper(new JavalinJackson(JsonBodies.MAPPER, false));
      ErrorMapping.register(cfg.routes);
      // stands in for AuthHandler: every request here is an authenticated administrator
      cfg.routes.beforeMatched(ctx -> ctx.attribute(org.keyhaven.server.auth.Actor.ATTRIBUTE,
          new org.keyhaven.server.auth.Actor("test-admin", org.keyhaven.server.auth.Role.ADMIN)));
      new WotRoutes(service).register(cfg.routes);
    });
    app.start("127.0.0.1", 0);
    base = "http://127.0.0.1:" + app.port();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.stop();
    }
  }

  private static HttpResponse<String> send(String method, String path, Object body)
      throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    if (body == null) {
      b.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      b.header("Content-Type", "application/json").method(method,
          HttpRequest.BodyPublishers.ofString(body instanceof String s ? s
              : JSON.writeValueAsString(body)));
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void evaluate_overHttp_equalsGnupgForEveryKeyAndUserId() throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/wot/evaluate", Map.of("ownertrust", ownerTrust,
        "at", Instant.ofEpochSecond(expected.get("evaluated_at").asLong()).toString()));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode got = JSON.readTree(r.body()).get("keys");
    List<String> diff = new ArrayList<>();
    int uids = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("keys").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode mine = got.get(e.getKey());
      if (mine == null || !mine.get("validity").asText()
          .equals(e.getValue().get("validity").asText())) {
        diff.add(e.getValue().get("label").asText());
        continue;
      }
      Map<String, String> mineUids = new HashMap<>();
      mine.get("userIds").forEach(u -> mineUids.put(u.get("uid").asText(),
          u.get("validity").asText()));
      for (JsonNode u : e.getValue().get("uids")) {
        uids++;
        if (!u.get("validity").asText().equals(mineUids.get(u.get("uid").asText()))) {
          diff.add(e.getValue().get("label").asText() + "/" + u.get("uid").asText());
        }
      }
    }
    assertThat(diff).isEmpty();
    assertThat(got.size()).isEqualTo(expected.get("keys").size());
    assertThat(uids).isEqualTo(43);
    assertThat(JSON.readTree(r.body()).get("depths").get(0).get("valid").asInt()).isEqualTo(3);
  }

  @Test
  void evaluate_selectedKeysAndParameters() throws Exception {
    String c6 = fingerprintOf("c6");
    HttpResponse<String> r = send("POST", "/api/v1/wot/evaluate", Map.of("ownertrust",
        ownerTrust, "maxDepth", 6, "keys", List.of(c6, "A".repeat(40))));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode body = JSON.readTree(r.body());
    assertThat(body.get("keys").get(c6).get("validity").asText()).isEqualTo("full");
    assertThat(body.get("unknownKeys").get(0).asText()).isEqualTo("A".repeat(40));
    assertThat(body.get("parameters").get("maxDepth").asInt()).isEqualTo(6);
  }

  @Test
  void rootsPathsKeyAndStats_fromServerRoot() throws Exception {
    HttpResponse<String> put = send("POST", "/api/v1/wot/roots", Map.of("ownertrust", ownerTrust));
    assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
    String u = fingerprintOf("U");
    String c3 = fingerprintOf("c3");
    HttpResponse<String> key = send("GET", "/api/v1/wot/keys/" + c3.toLowerCase(), null);
    assertThat(key.statusCode()).as(key.body()).isEqualTo(200);
    JsonNode k = JSON.readTree(key.body());
    assertThat(k.get("validity").asText()).isEqualTo("full");
    assertThat(k.get("certifiedBy").get(0).get("signer").asText())
        .isEqualTo(fingerprintOf("c2"));
    JsonNode path = k.get("explanation").get("pathsFromRoots").get(0);
    assertThat(path.get("length").asInt()).isEqualTo(3);
    assertThat(path.get("hops").get(0).get("signer").asText()).isEqualTo(u);

    HttpResponse<String> paths = send("GET", "/api/v1/wot/paths?from=" + u + "&to=" + c3
        + "&max=5", null);
    assertThat(paths.statusCode()).as(paths.body()).isEqualTo(200);
    assertThat(JSON.readTree(paths.body()).get("paths").get(0).get("length").asInt())
        .isEqualTo(3);

    HttpResponse<String> stats = send("GET", "/api/v1/wot/stats", null);
    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(stats.body()).get("keys").asInt()).isEqualTo(39);
    HttpResponse<String> roots = send("GET", "/api/v1/wot/roots", null);
    assertThat(JSON.readTree(roots.body()).get("ownertrust").get(u).asText())
        .isEqualTo("ultimate");
  }

  @Test
  void badRequests_areProblemJson() throws Exception {
    assertProblem(send("POST", "/api/v1/wot/evaluate", "{not json"), 400);
    assertProblem(send("POST", "/api/v1/wot/evaluate", Map.of("keys", List.of())), 400);
    assertProblem(send("POST", "/api/v1/wot/evaluate", Map.of("ownertrust",
        Map.of("A".repeat(40), "sometimes"))), 400);
    assertProblem(send("POST", "/api/v1/wot/evaluate", Map.of("ownertrust", Map.of(),
        "at", "yesterday")), 400);
    assertProblem(send("POST", "/api/v1/wot/evaluate", Map.of("ownertrust", Map.of(),
        "marginalsNeeded", 1)), 400);
    assertProblem(send("GET", "/api/v1/wot/keys/" + "A".repeat(40), null), 404);
    assertProblem(send("GET", "/api/v1/wot/keys/xyz", null), 400);
    assertProblem(send("GET", "/api/v1/wot/paths?from=" + "A".repeat(40), null), 400);
    assertProblem(send("GET", "/api/v1/wot/paths?from=" + fingerprintOf("U") + "&to="
        + fingerprintOf("c1") + "&max=99", null), 400);
  }

  @Test
  void cli_setsRootAndShowsKeyAndPaths(@org.junit.jupiter.api.io.TempDir Path tmp)
      throws Exception {
    Path file = tmp.resolve("ownertrust.txt");
    StringBuilder sb = new StringBuilder("# gpg --export-ownertrust\n");
    ownerTrust.forEach((f, w) -> sb.append(f).append(':')
        .append(OwnerTrust.parse(w).code()).append(":\n"));
    Files.writeString(file, sb.toString());
    String[] server = {"--server", base, "--token", "test"};
    assertThat(cli("roots", "set", "--file", file.toString(), server[0], server[1], server[2],
        server[3])).contains("trust root set: " + ownerTrust.size());
    String c3 = fingerprintOf("c3");
    assertThat(cli("key", c3, server[0], server[1], server[2], server[3]))
        .startsWith(c3 + " full").contains("certified by " + fingerprintOf("c2"));
    assertThat(cli("paths", fingerprintOf("U"), c3, server[0], server[1], server[2], server[3]))
        .startsWith(fingerprintOf("U") + " -> " + fingerprintOf("c1"));
    assertThat(cli("evaluate", "--trust", fingerprintOf("U") + "=ultimate", "--key",
        fingerprintOf("c1"), server[0], server[1], server[2], server[3]))
        .isEqualTo(fingerprintOf("c1") + " full\n");
  }

  private static String cli(String... args) {
    java.io.PrintStream old = System.out;
    java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();
    System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
    try {
      int rc = new picocli.CommandLine(new org.keyhaven.server.cli.WotCommand()).execute(args);
      assertThat(rc).as(buf.toString(java.nio.charset.StandardCharsets.UTF_8)).isZero();
    } finally {
      System.setOut(old);
    }
    return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void assertProblem(HttpResponse<String> r, int status) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type").orElse(""))
        .startsWith("application/problem+json");
  }

  private static String fingerprintOf(String label) {
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("keys").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getValue().get("label").asText().equals(label)) {
        return e.getKey();
      }
    }
    throw new IllegalArgumentException(label);
  }
}
