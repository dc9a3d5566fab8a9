package org.keyhaven.server.http;

import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Uploads the way dirmngr and Java's HttpClient do: the whole body is written, from another
 * thread, while the answer is read. A server that closes over unread body data makes the kernel
 * reset the connection, and then the writer fails (broken pipe) or the answer is lost.
 */
public final class WholeBodyUploads {
  private WholeBodyUploads() {}

  /**
   * POSTs {@code bodyBytes} bytes to {@code path} {@code attempts} times, each on a new
   * connection; returns every answer as text. Throws if a write did not finish within 10 s.
   */
  public static List<String> post(int port, String path, String contentType, int bodyBytes,
      int attempts) throws Exception {
    byte[] body = new byte[bodyBytes];
    Arrays.fill(body, (byte) 'a');
    byte[] head = ("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: " + contentType
        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    List<String> answers = new ArrayList<>();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      for (int i = 0; i < attempts; i++) {
        try (Socket s = new Socket("127.0.0.1", port)) {
          s.setSoTimeout(10_000);
          Future<?> sent = pool.submit(() -> {
            s.getOutputStream().write(head);
            s.getOutputStream().write(body);
            return null;
          });
          answers.add(new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII));
          sent.get(10, TimeUnit.SECONDS);
        }
      }
    } finally {
      pool.shutdownNow();
    }
    return answers;
  }
}
