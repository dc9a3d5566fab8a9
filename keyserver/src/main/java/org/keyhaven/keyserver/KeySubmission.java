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
   * merge as an HKP upload, so the result is the same either way.
   */
  public void submitStream(InputStream binary, long skip, Consumer<KeyOutcome> sink) {
    Iterator<PgpKeyReader.Item> it = reader.stream(binary);
    List<PgpKeyReader.Item> batch = new ArrayList<>(BATCH);
    long n = 0;
    try {
      while (it.hasNext()) {
        PgpKeyReader.Item item = it.next();
        if (n++ < skip) {
          continue;
        }
        batch.add(item);
        if (batch.size() == BATCH) {
          submitBatch(batch, sink);
          batch.clear();
        }
      }
    } finally {
      // On a read error, what was read before it is still stored (the import can resume).
      submitBatch(batch, sink);
    }
  }

  private static final int BATCH = 500;

  private void submitBatch(List<PgpKeyReader.Item> items, Consumer<KeyOutcome> sink) {
    if (items.isEmpty()) {
      return;
    }
    writeLock.lock();
    try {
      KeyOutcome[] out = new KeyOutcome[items.size()];
      List<Fingerprint> fprs = new ArrayList<>();
      for (PgpKeyReader.Item i : items) {
        if (i instanceof KeyBlock b) {
          fprs.add(b.fingerprint());
        }
      }
      java.util.Set<Fingerprint> taken = new java.util.HashSet<>(store.storedAmong(fprs));
      taken.addAll(store.blockedAmong(fprs));
      Instant now = clock.instant();
      // Fast path candidates: new, unblocked, first in the batch, no third-party signatures.
      List<Integer> fast = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        if (items.get(i) instanceof KeyBlock b && b.thirdPartyCount() == 0 && taken.add(
            b.fingerprint())) {
          fast.add(i);
        }
      }
      org.keyhaven.keyserver.store.KeyringWrite[] writes =
          new org.keyhaven.keyserver.store.KeyringWrite[items.size()];
      fast.parallelStream().forEach(i -> writes[i] = fastWrite((KeyBlock) items.get(i), now));
      List<org.keyhaven.keyserver.store.KeyringWrite> batch = new ArrayList<>();
      for (int i : fast) {
        if (writes[i] != null) {
          batch.add(writes[i]);
          out[i] = new KeyOutcome(writes[i].keyring().fingerprint(), Status.ADDED, null, "added");
        }
      }
      store.insertAll(batch);
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
