package org.keyhaven.recipients;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * What a lookup reads out of stored DER or key material (a certificate's usages and mailboxes, a
 * key's encryption subkeys), kept per serial or fingerprint together with the SHA-256 of the bytes
 * it was read from. A hit needs the same bytes, so the facts can never be older than what the
 * store holds (a merged key has new bytes and is read again); nothing needs invalidating.
 * Revocation status, expiry and web-of-trust validity are never kept here. Past {@code maxEntries}
 * it starts over.
 */
final class ParsedFacts<V> {
  private record Entry<V>(byte[] sha256, V facts) {}

  private final Map<String, Entry<V>> entries = new ConcurrentHashMap<>();
  private final int maxEntries;

  ParsedFacts(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  V get(String id, byte[] content, Function<byte[], V> parse) {
    byte[] digest = sha256(content);
    Entry<V> e = entries.get(id);
    if (e != null && Arrays.equals(e.sha256(), digest)) {
      return e.facts();
    }
    V facts = parse.apply(content);
    if (entries.size() >= maxEntries) {
      entries.clear();
    }
    entries.put(id, new Entry<>(digest, facts));
    return facts;
  }

  int size() {
    return entries.size();
  }

  private static byte[] sha256(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
