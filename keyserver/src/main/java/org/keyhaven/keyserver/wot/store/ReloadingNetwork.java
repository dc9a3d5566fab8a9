package org.keyhaven.keyserver.wot.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.keyhaven.keyserver.store.CertificationStore;
import org.keyhaven.keyserver.wot.Network;

/**
 * A network supplier over a {@link CertificationStore}: it keeps the last loaded snapshot in
 * memory and reloads only after {@link #invalidate()} (call it when keys or certifications are
 * stored) and once {@code minInterval} has passed since the last load, so a burst of uploads
 * costs one reload and reads never touch the database.
 */
public final class ReloadingNetwork implements Supplier<Network> {

  private final CertificationStore store;
  private final Clock clock;
  private final Duration minInterval;
  private Network snapshot;
  private Instant loadedAt = Instant.MIN;
  private boolean stale = true;

  public ReloadingNetwork(CertificationStore store, Clock clock, Duration minInterval) {
    this.store = store;
    this.clock = clock;
    this.minInterval = minInterval;
  }

  /** Marks the snapshot out of date (keys or certifications changed). */
  public synchronized void invalidate() {
    stale = true;
  }

  @Override
  public synchronized Network get() {
    Instant now = clock.instant();
    if (snapshot == null || (stale && !now.isBefore(loadedAt.plus(minInterval)))) {
      snapshot = StoreNetworkLoader.load(store);
      loadedAt = now;
      stale = false;
    }
    return snapshot;
  }
}
