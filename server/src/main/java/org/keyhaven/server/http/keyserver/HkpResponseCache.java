package org.keyhaven.server.http.keyserver;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.keyhaven.server.http.FastPath;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Finished HKP lookup answers by query string, so that a repeated {@code op=get} or
 * {@code op=index} is a map lookup and a write of bytes — as close to a static file as the JVM
 * gets. Any key change anywhere (this node, or another node through the change feed) clears it;
 * an answer computed before a clear is not stored after it (generation check), and no answer is
 * older than a minute (key expiry shows in index flags without a write). Bounded by entry count
 * and bytes: past either bound it starts over.
 */
public final class HkpResponseCache {
  /** One cached answer. */
  public record Answer(int status, String contentType, byte[] body, String resultsCount,
      String disposition, long storedAtMillis, FastPath.Answer fast) {

    public Answer(int status, String contentType, byte[] body, String resultsCount,
        String disposition, long storedAtMillis) {
      this(status, contentType, body, resultsCount, disposition, storedAtMillis,
          fastAnswer(status, contentType, body, resultsCount, disposition));
    }
  }

  private static final HttpField CORS =
      new PreEncodedHttpField(HttpHeader.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
  private static final HttpField NO_CACHE =
      new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-cache");

  /** The same answer as bytes and headers for {@link FastPath}, made once when it is stored. */
  private static FastPath.Answer fastAnswer(int status, String contentType, byte[] body,
      String resultsCount, String disposition) {
    List<HttpField> headers = new ArrayList<>(List.of(CORS, NO_CACHE));
    if (resultsCount != null) {
      headers.add(new PreEncodedHttpField("X-HKP-Results-Count", resultsCount));
    }
    if (disposition != null) {
      headers.add(new PreEncodedHttpField(HttpHeader.CONTENT_DISPOSITION, disposition));
    }
    if (contentType != null) {
      headers.add(new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, contentType));
    }
    headers.add(new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(body.length)));
    return new FastPath.Answer(status, List.copyOf(headers),
        ByteBuffer.wrap(body).asReadOnlyBuffer());
  }

  /** Answers older than this are recomputed, so expiry flags in index lines stay current. */
  static final long MAX_AGE_MILLIS = 60_000;

  static final int MAX_ENTRIES = 200_000;
  static final long MAX_BYTES = 256L * 1024 * 1024;

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong generation = new AtomicLong();

  /** The generation to pass to {@link #put}: read it before computing the answer. */
  public long generation() {
    return generation.get();
  }

  public Answer get(String query, long nowMillis) {
    Answer a = answers.get(query);
    if (a != null && nowMillis - a.storedAtMillis() > MAX_AGE_MILLIS) {
      if (answers.remove(query, a)) {
        bytes.addAndGet(-a.body().length);
      }
      return null;
    }
    return a;
  }

  public void put(String query, long computedAt, Answer answer) {
    if (answers.size() >= MAX_ENTRIES || bytes.get() + answer.body().length > MAX_BYTES) {
      clear();
    }
    if (generation.get() != computedAt) {
      return; // a key changed while this answer was being computed
    }
    if (answers.putIfAbsent(query, answer) == null) {
      bytes.addAndGet(answer.body().length);
    }
  }

  /** Drops every answer (a key was added, merged, revoked or removed). */
  public void invalidate() {
    generation.incrementAndGet();
    clear();
  }

  private void clear() {
    answers.clear();
    bytes.set(0);
  }

  public int size() {
    return answers.size();
  }
}
