package org.keyhaven.keyserver.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyId;
import org.keyhaven.keyserver.KeyQuery;
import org.keyhaven.keyserver.StoredKeyring;

/**
 * Port for stored keys, their search index, third-party signatures and the removal block list.
 * Absence is never an error: finders return empty results.
 */
public interface KeyringStore {

  Optional<StoredKeyring> find(Fingerprint primary);

  /** Keys matching {@code query}, at most {@code limit}, ordered by fingerprint. */
  List<StoredKeyring> search(KeyQuery query, int limit);

  /**
   * For each address of {@code emails} that has keys: what {@link #search} with
   * {@link KeyQuery.ByEmail} and {@code limit} gives, keyed by the lower-cased address; addresses
   * without keys are absent. Batch recipient lookups use it: adapters answer many addresses with
   * a few queries.
   */
  default java.util.Map<String, List<StoredKeyring>> searchByEmails(
      java.util.Collection<String> emails, int limit) {
    java.util.Map<String, List<StoredKeyring>> out = new java.util.LinkedHashMap<>();
    for (String e : emails) {
      KeyQuery.ByEmail q = new KeyQuery.ByEmail(e);
      List<StoredKeyring> found = search(q, limit);
      if (!found.isEmpty()) {
        out.put(q.email(), found);
      }
    }
    return out;
  }

  /** Primary keys with this 64-bit key ID (normally zero or one). */
  List<StoredKeyring> findPrimaryByKeyId(KeyId keyId);

  /** Third-party signatures on {@code target}, verified and held. */
  List<ThirdPartySignature> thirdPartyOn(Fingerprint target);

  /** Keys that hold unverified signatures naming {@code issuer} as their issuer. */
  List<Fingerprint> targetsHoldingSignaturesBy(KeyId issuer);

  /** Writes one key and everything hanging off it in one transaction. */
  void save(KeyringWrite write);

  /** Writes several keys in one transaction (bulk import). */
  void saveAll(List<KeyringWrite> writes);

  /**
   * Inserts keys known not to be stored yet, in one transaction, with statements batched across
   * keys (bulk import). A key that is stored after all fails the whole call with CONFLICT.
   */
  void insertAll(List<KeyringWrite> writes);

  /** Which of {@code keys} are stored. */
  java.util.Set<Fingerprint> storedAmong(java.util.Collection<Fingerprint> keys);

  /** Which of {@code keys} are blocked. */
  java.util.Set<Fingerprint> blockedAmong(java.util.Collection<Fingerprint> keys);

  /** True when any unverified third-party signature is held (issuer not yet arrived). */
  boolean hasHeldSignatures();

  /** Deletes a key, its index and the signatures on it; true when it existed. */
  boolean delete(Fingerprint primary);

  /** Blocks re-import of a removed key. */
  void block(Fingerprint primary, String reason, String actor, Instant at);

  /** Lifts a block; true when one existed. */
  boolean unblock(Fingerprint primary);

  /** The reason a key is blocked, or empty when it is not. */
  Optional<String> blockReason(Fingerprint primary);

  long count();

  /** Streams every stored key in fingerprint order (for dumps). */
  void forEach(Consumer<StoredKeyring> sink);

  /** How many keys of an import source were already processed (resumable imports). */
  OptionalLong importProgress(String source);

  void recordImportProgress(String source, long keysDone, Instant at);
}
