package org.keyhaven.keyserver.store;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.keyhaven.keyserver.Fingerprint;

/**
 * Read port over verified certifications, for the web of trust. Every record returned verified
 * against its issuer's key when it was stored; pending (issuer unknown) and invalid signatures
 * never appear. Self-certifications are included (issuer equals target).
 */
public interface CertificationStore {

  /** Verified certifications and certification revocations on the user IDs of {@code target}. */
  List<Certification> certificationsOn(Fingerprint target);

  /** Verified certifications made by {@code issuer} on any key. */
  List<Certification> certificationsBy(Fingerprint issuer);

  /** Streams every verified certification in the store, in no particular order. */
  void forEachCertification(Consumer<Certification> sink);

  /** Key expiry, revocation and bound user IDs of {@code key}; empty when it is not stored. */
  Optional<KeyStatus> keyStatus(Fingerprint key);

  /**
   * {@link #keyStatus} for many keys (the web-of-trust loader reads every key): keys that are not
   * stored are absent. Adapters answer with a few queries per few hundred keys.
   */
  default java.util.Map<Fingerprint, KeyStatus> keyStatuses(
      java.util.Collection<Fingerprint> keys) {
    java.util.Map<Fingerprint, KeyStatus> out = new java.util.HashMap<>();
    for (Fingerprint k : keys) {
      keyStatus(k).ifPresent(s -> out.put(k, s));
    }
    return out;
  }
}
