package org.keyhaven.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keyhaven.server.http.RateLimits;

/** Login attempts past the burst get 429 with Retry-After, per client address. */
class RateLimitTest {
  @Test
  void consoleLogin_burstThen429WithRetryAfter() {
    try (TestServer srv = TestServer.start()) {
      int ok = 0;
      int limited = 0;
      String retryAfter = null;
      for (int i = 0; i < RateLimits.LOGIN.burst() + 5; i++) {
        var r = srv.send("POST", "/admin/login", null, "application/x-www-form-urlencoded",
            "token=kh_guess".getBytes());
        if (r.statusCode() == 429) {
          limited++;
          retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        } else {
          assertThat(r.statusCode()).isEqualTo(401);
          ok++;
        }
      }
      assertThat(ok).isBetween(RateLimits.LOGIN.burst(), RateLimits.LOGIN.burst() + 1);
      assertThat(limited).isGreaterThanOrEqualTo(4);
      assertThat(retryAfter).isNotNull();
    }
  }
}
