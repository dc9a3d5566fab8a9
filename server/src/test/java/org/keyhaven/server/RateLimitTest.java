package org.keyhaven.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.keyhaven.server.http.RateLimits;

/** Login attempts past the burst get 429 with Retry-After, per client address. */
class RateLimitTest {
  @Test
  void consoleLogin_burstThen429WithRetryAfter() {
    try (TestServer srv = TestServer.start()) {
      int passed = 0;
      int limited = 0;
      String retryAfter = null;
      long start = System.nanoTime();
      for (int i = 0; i < RateLimits.LOGIN.burst() + 20; i++) {
        var r = srv.send("POST", "/admin/login", null, "application/x-www-form-urlencoded",
            "token=kh_guess".getBytes());
        if (r.statusCode() == 429) {
          limited++;
          retryAfter = r.headers().firstValue("Retry-After").orElse(null);
        } else {
          assertThat(r.statusCode()).isEqualTo(401);
          passed++;
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // The bucket refills while we send: at most burst + elapsed × rate (+1 for rounding) pass.
      long allowed = RateLimits.LOGIN.burst() + (long) Math.ceil(seconds * RateLimits.LOGIN.perSecond()) + 1;
      assertThat(passed).isGreaterThanOrEqualTo(RateLimits.LOGIN.burst()).isLessThanOrEqualTo((int) allowed);
      assertThat(limited).isPositive();
      assertThat(retryAfter).isNotNull();
    }
  }
}
