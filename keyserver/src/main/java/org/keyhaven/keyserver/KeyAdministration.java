package org.keyhaven.keyserver;

import java.time.Clock;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.store.KeyringStore;

/**
 * Administrative removal of keys (e.g. a data-protection request), audited. A removed key is
 * blocked: later uploads of it are refused until an administrator allows it again.
 */
public final class KeyAdministration {
  private final KeyringStore store;
  private final AuditLog audit;
  private final Clock clock;

  public KeyAdministration(KeyringStore store, AuditLog audit, Clock clock) {
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  /** Deletes the key and blocks its re-import; NOT_FOUND when it is neither stored nor blocked. */
  public void remove(Fingerprint key, String actor, String reason) {
    String why = reason == null || reason.isBlank() ? "removed by administrator" : reason.strip();
    audit.record(actor, "key.remove", key.upperHex(), AuditLog.INTENT, why);
    boolean existed = store.delete(key);
    if (!existed && store.blockReason(key).isPresent()) {
      audit.record(actor, "key.remove", key.upperHex(), AuditLog.FAILURE, "already removed");
      throw PkiException.notFound("key %s is already removed", key);
    }
    store.block(key, why, actor, clock.instant());
    audit.record(actor, "key.remove", key.upperHex(), AuditLog.SUCCESS,
        existed ? why : why + " (key was not stored; blocked in advance)");
  }

  /** Lifts the block so the key may be uploaded again; NOT_FOUND when it was not blocked. */
  public void allow(Fingerprint key, String actor) {
    if (!store.unblock(key)) {
      throw PkiException.notFound("key %s is not blocked", key);
    }
    audit.record(actor, "key.allow", key.upperHex(), AuditLog.SUCCESS, null);
  }
}
