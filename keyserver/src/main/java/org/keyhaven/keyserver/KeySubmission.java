package org.keyhaven.keyserver;

import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.SubmissionResult.KeyOutcome;
import org.keyhaven.keyserver.SubmissionResult.Status;
import org.keyhaven.keyserver.openpgp.CanonicalKey;
import org.keyhaven.keyserver.openpgp.KeyBlock;
import org.keyhaven.keyserver.openpgp.KeyringMerger;
import org.keyhaven.keyserver.openpgp.PgpKeyReader;
import org.keyhaven.keyserver.openpgp.Sig;
import org.keyhaven.keyserver.store.KeyringStore;
import org.keyhaven.keyserver.store.ThirdPartySignature;

/**
 * Accepts keys (HKP uploads, bulk imports): read under limits, verify, merge exactly with what is
 * stored, decide on third-party certifications, save. Writes are serialised so that merges and
 * the promotion of held signatures never race. See docs/KEYSERVER.md, "Upload".
 */
public final class KeySubmission {
  private final KeyringStore store;
  private final KeyserverPolicy policy;
  private final Clock clock;
  private final PgpKeyReader reader;
  private final KeyringMerger merger;
  private final ThirdPartyPolicy thirdParty;
  private final ReentrantLock writeLock = new ReentrantLock();

  public KeySubmission(KeyringStore store, KeyserverPolicy policy, Clock clock) {
    this.store = store;
    this.policy = policy;
    this.clock = clock;
    this.reader = new PgpKeyReader(policy.limits());
    this.merger = new KeyringMerger(policy.limits());
    this.thirdParty = new ThirdPartyPolicy(store, policy);
  }

  /** Submits an armored or binary upload of one or more keys or revocation certificates. */
  public SubmissionResult submit(byte[] upload) {
    if (upload.length > policy.maxUploadBytes()) {
      throw PkiException.tooLarge("upload has %d bytes; the limit is %d", upload.length,
          policy.maxUploadBytes());
    }
    List<KeyOutcome> out = new ArrayList<>();
    for (PgpKeyReader.Item item : reader.read(upload)) {
      out.add(submitItem(item));
    }
    if (out.isEmpty()) {
      throw PkiException.malformed("the upload contains no public key");
    }
    return new SubmissionResult(out);
  }

  /**
   * Submits a binary key dump, reporting each outcome in input order (bulk import). Keys are
   * handled in batches: new keys without third-party signatures take a fast path (parallel
   * verification, one transaction per batch); every other key goes through the same per-key
   * merge as an HKP upload, so the result is the same either way. The next batch is verified on
   * another thread while the current one is written, so verification (CPU) and the database
   * write overlap.
   */
  public void submitStream(InputStream binary, long skip, Consumer<KeyOutcome> sink) {
    Iterator<PgpKeyReader.Item> it = reader.stream(binary);
    java.util.concurrent.ExecutorService ahead = java.util.concurrent.Executors
        .newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "keys-import-verify");
          t.setDaemon(true);
          return t;
        });
    try {
      java.util.concurrent.Future<Prepared> pending = null;
      java.util.Set<Fingerprint> pendingKeys = java.util.Set.of();
      final int size = batchSize;
      List<PgpKeyReader.Item> batch = new ArrayList<>(size);
      RuntimeException readError = null;
      long n = 0;
      while (true) {
        PgpKeyReader.Item item;
        try {
          if (!it.hasNext()) {
            break;
          }
          item = it.next();
        } catch (RuntimeException e) {
          readError = e; // What was read before it is still stored (the import can resume).
          break;
        }
        if (n++ < skip) {
          continue;
        }
        batch.add(item);
        if (batch.size() == size) {
          pending = handOver(ahead, pending, pendingKeys, batch, sink);
          pendingKeys = keysOf(batch);
          batch = new ArrayList<>(size);
        }
      }
      pending = handOver(ahead, pending, pendingKeys, batch, sink);
      commit(await(pending), sink);
      if (readError != null) {
        throw readError;
      }
    } finally {
      ahead.shutdownNow();
    }
  }

  /**
   * Keys per batch of {@link #submitStream} (one transaction for the fast-path keys). Large on
   * purpose: H2's MVStore rewrites every index page a commit touched, and random fingerprints
   * touch most leaf pages of each index, so the commit count, not the row count, set the cost
   * (500 per batch: ~1.7 ms of CPU per key at 20,000 keys, growing with the key count).
   */
  public static final int DEFAULT_BATCH = 5_000;

  private int batchSize = DEFAULT_BATCH;

  /** The batch size of {@link #submitStream} (tests use small ones); returns this. */
  public KeySubmission importBatch(int keys) {
    if (keys < 1) {
      throw new IllegalArgumentException("batch size must be positive");
    }
    this.batchSize = keys;
    return this;
  }

  /** A batch read and verified ahead: the fast-path write of each item, where it has one. */
  private record Prepared(List<PgpKeyReader.Item> items,
      org.keyhaven.keyserver.store.KeyringWrite[] writes) {}

  /**
   * Starts verifying {@code batch} on the look-ahead thread, then writes the previous batch
   * ({@code pending}); returns the new pending batch (null when {@code batch} is empty).
   * {@code inFlight} are the keys of the previous batch, not yet written when this one is
   * checked against the store.
   */
  private java.util.concurrent.Future<Prepared> handOver(
      java.util.concurrent.ExecutorService ahead, java.util.concurrent.Future<Prepared> pending,
      java.util.Set<Fingerprint> inFlight, List<PgpKeyReader.Item> batch,
      Consumer<KeyOutcome> sink) {
    java.util.concurrent.Future<Prepared> next = batch.isEmpty() ? null
        : ahead.submit(() -> prepare(batch, inFlight));
    commit(await(pending), sink);
    return next;
  }

  private static Prepared await(java.util.concurrent.Future<Prepared> f) {
    if (f == null) {
      return null;
    }
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw PkiException.unavailable("import interrupted");
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private static java.util.Set<Fingerprint> keysOf(List<PgpKeyReader.Item> items) {
    java.util.Set<Fingerprint> out = new java.util.HashSet<>();
    for (PgpKeyReader.Item i : items) {
      if (i instanceof KeyBlock b) {
        out.add(b.fingerprint());
      }
    }
    return out;
  }

  /**
   * Fast-path candidates of a batch — new (not stored, not blocked, not in the batch being
   * written, first in this batch), no third-party signatures — verified in parallel.
   */
  private Prepared prepare(List<PgpKeyReader.Item> items, java.util.Set<Fingerprint> inFlight) {
    java.util.Set<Fingerprint> keys = keysOf(items);
    java.util.Set<Fingerprint> taken = new java.util.HashSet<>(store.storedAmong(keys));
    taken.addAll(store.blockedAmong(keys));
    taken.addAll(inFlight);
    List<Integer> fast = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      if (items.get(i) instanceof KeyBlock b && b.thirdPartyCount() == 0 && taken.add(
          b.fingerprint())) {
        fast.add(i);
      }
    }
    Instant now = clock.instant();
    org.keyhaven.keyserver.store.KeyringWrite[] writes =
        new org.keyhaven.keyserver.store.KeyringWrite[items.size()];
    fast.parallelStream().forEach(i -> writes[i] = fastWrite((KeyBlock) items.get(i), now));
    return new Prepared(items, writes);
  }

  /** Writes a prepared batch: fast-path keys in one transaction, the rest one by one. */
  private void commit(Prepared p, Consumer<KeyOutcome> sink) {
    if (p == null) {
      return;
    }
    writeLock.lock();
    try {
      List<PgpKeyReader.Item> items = p.items();
      org.keyhaven.keyserver.store.KeyringWrite[] writes = p.writes();
      KeyOutcome[] out = new KeyOutcome[items.size()];
      List<Fingerprint> fastKeys = new ArrayList<>();
      for (var w : writes) {
        if (w != null) {
          fastKeys.add(w.keyring().fingerprint());
        }
      }
      // Verified off the lock: a key stored or blocked since (an upload, an admin) takes the
      // full path instead, which merges or refuses it.
      java.util.Set<Fingerprint> changed = new java.util.HashSet<>(store.storedAmong(fastKeys));
      changed.addAll(store.blockedAmong(fastKeys));
      List<org.keyhaven.keyserver.store.KeyringWrite> batch = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        var w = writes[i];
        if (w != null && !changed.contains(w.keyring().fingerprint())) {
          batch.add(w);
          out[i] = new KeyOutcome(w.keyring().fingerprint(), Status.ADDED, null, "added");
        }
      }
      store.insertAll(batch);
      Instant now = clock.instant();
      if (!batch.isEmpty() && store.hasHeldSignatures()) {
        for (org.keyhaven.keyserver.store.KeyringWrite w : batch) {
          promoteHeldSignaturesBy(CanonicalKey.decodeStored(w.keyring().firstParty()
              .toByteArray()), now);
        }
      }
      for (int i = 0; i < items.size(); i++) {
        if (out[i] == null) {
          out[i] = submitItem(items.get(i));
        }
        sink.accept(out[i]);
      }
    } finally {
      writeLock.unlock();
    }
  }

  /** The write for a new key, or null when it needs the full path (which will explain why). */
  private org.keyhaven.keyserver.store.KeyringWrite fastWrite(KeyBlock block, Instant now) {
    try {
      CanonicalKey merged = merger.merge(null, merger.verify(block).firstParty());
      if (!KeyringMerger.hasCertifiedUserId(merged)) {
        return null;
      }
      byte[] firstParty = merged.encode();
      if (firstParty.length > policy.maxKeyBytes()) {
        return null;
      }
      return thirdParty.write(merged, firstParty, List.of(), now, now);
    } catch (PkiException e) {
      return null;
    }
  }

  private KeyOutcome submitItem(PgpKeyReader.Item item) {
    if (item instanceof PgpKeyReader.Rejected r) {
      return new KeyOutcome(r.fingerprint(), Status.REJECTED, r.reason().kind(),
          r.reason().detail());
    }
    writeLock.lock();
    try {
      if (item instanceof KeyBlock block) {
        return submitKey(block);
      }
      return submitRevocation(((PgpKeyReader.LooseSignature) item).sig());
    } catch (PkiException e) {
      if (e.kind() == ErrorKind.INTERNAL || e.kind() == ErrorKind.UNAVAILABLE) {
        throw e;
      }
      return new KeyOutcome(null, Status.REJECTED, e.kind(), e.detail());
    } finally {
      writeLock.unlock();
    }
  }

  private KeyOutcome submitKey(KeyBlock block) {
    Fingerprint fpr = block.fingerprint();
    Optional<String> blocked = store.blockReason(fpr);
    if (blocked.isPresent()) {
      return rejected(fpr, ErrorKind.FORBIDDEN,
          "key " + fpr + " was removed by an administrator and may not be uploaded again");
    }
    KeyringMerger.Verified v = merger.verify(block);
    Optional<StoredKeyring> existing = store.find(fpr);
    CanonicalKey stored = existing.map(s -> CanonicalKey.decodeStored(s.firstParty()
        .toByteArray())).orElse(null);
    CanonicalKey merged = merger.merge(stored, v.firstParty());
    if (!KeyringMerger.hasCertifiedUserId(merged)) {
      return rejected(fpr, ErrorKind.POLICY_VIOLATION,
          "key " + fpr + " has no user ID with a valid self-signature");
    }
    return save(fpr, existing, merged, v.thirdParty());
  }

  /** A bare key revocation takes effect at once on the key we hold (RFC 9580 §5.2.1.11). */
  private KeyOutcome submitRevocation(Sig sig) {
    List<StoredKeyring> keys = sig.issuerFingerprint() != null
        ? store.find(Fingerprint.of(sig.issuerFingerprint())).map(List::of).orElse(List.of())
        : store.findPrimaryByKeyId(new KeyId(sig.issuerKeyId()));
    for (StoredKeyring k : keys) {
      CanonicalKey stored = CanonicalKey.decodeStored(k.firstParty().toByteArray());
      CanonicalKey merged = merger.withKeyRevocation(stored, sig);
      if (merged != null) {
        return save(k.fingerprint(), Optional.of(k), merged, Map.of());
      }
    }
    return rejected(null, ErrorKind.POLICY_VIOLATION,
        "a lone signature is accepted only as a revocation certificate of a key on this server");
  }

  private KeyOutcome save(Fingerprint fpr, Optional<StoredKeyring> existing, CanonicalKey merged,
      Map<org.keyhaven.keyserver.openpgp.Packet, List<Sig>> candidates) {
    byte[] firstParty = merged.encode();
    if (firstParty.length > policy.maxKeyBytes()) {
      return rejected(fpr, ErrorKind.TOO_LARGE, String.format(
          "key %s has %d bytes of self-signed material; the limit is %d", fpr,
          firstParty.length, policy.maxKeyBytes()));
    }
    List<ThirdPartySignature> before = existing.isPresent() ? store.thirdPartyOn(fpr) : List.of();
    List<ThirdPartySignature> after = thirdParty.combine(merged, before, candidates);
    boolean unchanged = existing.isPresent()
        && Arrays.equals(existing.get().firstParty().toByteArray(), firstParty)
        && new java.util.HashSet<>(before).equals(new java.util.HashSet<>(after));
    if (unchanged) {
      return new KeyOutcome(fpr, Status.UNCHANGED, null, "no new material");
    }
    Instant now = clock.instant();
    store.save(thirdParty.write(merged, firstParty, after,
        existing.map(StoredKeyring::firstSeen).orElse(now), now));
    promoteHeldSignaturesBy(merged, now);
    return new KeyOutcome(fpr, existing.isPresent() ? Status.UPDATED : Status.ADDED, null,
        existing.isPresent() ? "merged" : "added");
  }

  /** Verifies signatures held on other keys that this key issued (order-independence). */
  private void promoteHeldSignaturesBy(CanonicalKey issuer, Instant now) {
    KeyId id = issuer.fingerprint().keyId();
    for (Fingerprint target : store.targetsHoldingSignaturesBy(id)) {
      if (target.equals(issuer.fingerprint())) {
        continue;
      }
      Optional<StoredKeyring> t = store.find(target);
      if (t.isEmpty()) {
        continue;
      }
      CanonicalKey key = CanonicalKey.decodeStored(t.get().firstParty().toByteArray());
      List<ThirdPartySignature> before = store.thirdPartyOn(target);
      List<ThirdPartySignature> after = thirdParty.promote(key, before, issuer);
      if (!new java.util.HashSet<>(before).equals(new java.util.HashSet<>(after))) {
        store.save(thirdParty.write(key, t.get().firstParty().toByteArray(), after,
            t.get().firstSeen(), now));
      }
    }
  }

  private static KeyOutcome rejected(Fingerprint fpr, ErrorKind kind, String detail) {
    return new KeyOutcome(fpr, Status.REJECTED, kind, detail);
  }

}
