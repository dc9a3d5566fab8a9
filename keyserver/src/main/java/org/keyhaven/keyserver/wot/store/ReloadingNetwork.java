package org.keyhaven.keyserver.wot.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.keyhaven.keyserver.store.CertificationStore;
import org.keyhaven.keyserver.wot.Network;

/**
 * A network supplier over a {@link CertificationStore}: it keeps the last loaded snapshot in
 * memory and reloads only after {@link #invalidate()} (call it when keys or certifications are
 * stored) and once {@code minInterval} has passed since the last load, so a burst of uploads
 * costs one reload and reads never touch the database.
 *
 * <p>With a non-zero {@code minInterval} a reload runs in the background: readers wait for it at
 * most {@code maxWait} and otherwise carry on with the previous snapshot, so loading a large
 * network (seconds for 100,000 keys) never holds every lookup up. {@link #warm()} starts the
 * first load before the first reader needs it. With {@code minInterval} zero every reload is
 * synchronous (deterministic, for tests).
 */
public final class ReloadingNetwork implements Supplier<Network> {
  private static final Duration DEFAULT_MAX_WAIT = Duration.ofMillis(250);

  private final CertificationStore store;
  private final Clock clock;
  private final Duration minInterval;
  private final Duration maxWait;
  private volatile Network snapshot;
  private Instant loadedAt = Instant.MIN;
  private boolean stale = true;
  private CompletableFuture<Network> loading;

  public ReloadingNetwork(CertificationStore store, Clock clock, Duration minInterval) {
    this(store, clock, minInterval, DEFAULT_MAX_WAIT);
  }

  public ReloadingNetwork(CertificationStore store, Clock clock, Duration minInterval,
      Duration maxWait) {
    this.store = store;
    this.clock = clock;
    this.minInterval = minInterval;
    this.maxWait = maxWait;
  }

  /** Marks the snapshot out of date (keys or certifications changed). */
  public synchronized void invalidate() {
    stale = true;
  }

  /** Starts loading the network in the background if nothing is loaded or loading yet. */
  public synchronized void warm() {
    if (snapshot == null && loading == null) {
      startLoad(false);
    }
  }

  @Override
  public Network get() {
    while (true) {
      CompletableFuture<Network> pending;
      Network current;
      boolean mustWait;
      synchronized (this) {
        current = snapshot;
        if (minInterval.isZero()) {
          if (current == null || stale) {
            stale = false;
            snapshot = StoreNetworkLoader.load(store);
            loadedAt = clock.instant();
          }
          return snapshot;
        }
        // Nothing loaded yet, or only the warm-up snapshot: the first reader waits for a fresh
        // load, exactly as if it had loaded itself.
        mustWait = current == null || loadedAt.equals(Instant.MIN);
        if (loading == null && (current == null || (stale && (loadedAt.equals(Instant.MIN)
            || !clock.instant().isBefore(loadedAt.plus(minInterval)))))) {
          startLoad(true);
        }
        pending = loading;
      }
      if (pending == null) {
        return current;
      }
      try {
        if (!mustWait) {
          return pending.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        }
        pending.get();
        // Loop: if keys changed while that load ran (e.g. the warm-up), load again.
      } catch (TimeoutException e) {
        return current;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return current;
      } catch (ExecutionException e) {
        if (current != null) {
          return current;
        }
        throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e);
      }
    }
  }

  /** Caller holds the lock. {@code counts}: a reader asked, so the interval starts now. */
  private void startLoad(boolean counts) {
    stale = false;
    loading = CompletableFuture.supplyAsync(() -> {
      Network network = null;
      try {
        network = StoreNetworkLoader.load(store);
        return network;
      } finally {
        // Runs before the future completes, so a reader woken by it sees the new state. The
        // lock also orders this after startLoad's assignment of 'loading'.
        synchronized (this) {
          if (network != null) {
            snapshot = network;
            // A warm-up load does not start the interval: the first reader after uploads that
            // arrived during it must not be held to the old snapshot for minInterval.
            loadedAt = counts ? clock.instant() : Instant.MIN;
          } else {
            stale = true; // failed: try again on the next read
          }
          loading = null;
        }
      }
    }, ReloadingNetwork::runOnDaemon);
  }

  private static void runOnDaemon(Runnable r) {
    Thread t = new Thread(r, "wot-network-load");
    t.setDaemon(true);
    t.start();
  }
}
