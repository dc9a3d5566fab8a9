package org.keyhaven.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Waits for a child `keyhaven serve` to print its ready line, draining its stdout meanwhile. */
public final class ReadyLine {
  private ReadyLine() {}

  /** True once "keyhaven ready" appeared; false if it did not within {@code seconds}. */
  public static boolean await(Process p, long seconds, String threadName)
      throws InterruptedException {
    CountDownLatch ready = new CountDownLatch(1);
    Thread reader = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          if (line.startsWith("keyhaven ready")) {
            ready.countDown();
          }
        }
      } catch (IOException e) {
        // the process died; the wait times out
      }
    }, threadName);
    reader.setDaemon(true);
    reader.start();
    return ready.await(seconds, TimeUnit.SECONDS);
  }
}
