package org.keyhaven.server.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.keyhaven.server.TestServer;

/**
 * Runs admin activity with secrets in play (tokens, session cookies, wrong tokens, the data dir's
 * key material) while capturing everything the server logs, then checks that no secret appears
 * in the log or in any error answer.
 */
class SecretsNotLoggedTest {

  @Test
  void tokensCookiesAndKeyMaterial_neverReachTheLogOrErrorAnswers() throws Exception {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8));
    List<String> secrets = new ArrayList<>();
    List<String> errorBodies = new ArrayList<>();
    Path dataDir;
    try (TestServer srv = TestServer.start()) {
      dataDir = srv.dataDir;
      secrets.add(srv.adminToken);
      String ra = srv.token("secret-ra", "ra");
      secrets.add(ra);
      String guess = "kh_" + "A".repeat(43);
      secrets.add(guess);
      errorBodies.add(srv.get("/api/v1/tokens", guess).body());
      errorBodies.add(srv.get("/api/v1/tokens", ra).body());
      errorBodies.add(srv.postJson("/api/v1/tokens", srv.adminToken, "{\"name\":\"" + ra + "\"").body());
      var login = srv.send("POST", "/admin/login", null, "application/x-www-form-urlencoded",
          ("token=" + srv.adminToken).getBytes(StandardCharsets.US_ASCII));
      String cookie = login.headers().firstValue("Set-Cookie").orElseThrow();
      secrets.add(cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';')));
      errorBodies.add(srv.send("POST", "/admin/login", null, "application/x-www-form-urlencoded",
          ("token=" + guess).getBytes(StandardCharsets.US_ASCII)).body());
      // Key material written into the data dir (CA master secret, key stores) must not be logged.
      try (Stream<Path> files = Files.list(dataDir)) {
        for (Path f : files.toList()) {
          String name = f.getFileName().toString();
          if (Files.isRegularFile(f) && (name.contains("master") || name.contains("key"))
              && Files.size(f) < 4096) {
            String content = Files.readString(f, StandardCharsets.ISO_8859_1).strip();
            if (content.length() >= 16) {
              secrets.add(content);
            }
          }
        }
      }
    } finally {
      System.setErr(original);
    }
    String log = captured.toString(StandardCharsets.UTF_8);
    assertThat(log).as("the server logged something during the run").isNotEmpty();
    for (String secret : secrets) {
      assertThat(log).as("log must not contain a secret").doesNotContain(secret);
      for (String body : errorBodies) {
        assertThat(body).as("error answer must not contain a secret").doesNotContain(secret);
      }
    }
  }

  /** Writes to two streams. */
  static final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int x) throws java.io.IOException {
      a.write(x);
      b.write(x);
    }

    @Override
    public void write(byte[] buf, int off, int len) throws java.io.IOException {
      a.write(buf, off, len);
      b.write(buf, off, len);
    }
  }
}
