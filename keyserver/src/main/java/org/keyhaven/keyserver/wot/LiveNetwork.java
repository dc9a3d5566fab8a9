package org.keyhaven.keyserver.wot;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The in-memory network a server keeps up to date as keys and certifications arrive: each key is
 * stored with the certifications on its user IDs (as OpenPGP stores them, on the target's
 * keyring), and replacing a key replaces them. {@link #get()} returns an immutable snapshot,
 * rebuilt at most once per {@code minRebuildInterval} after a change, so readers never wait for
 * the database and bursts of uploads cost one rebuild.
 */
public final class LiveNetwork implements Supplier<Network> {

  private record Entry(Node node, List<Certification> certifications) {}

  private final Map<String, Entry> keys = new LinkedHashMap<>();
  private final Clock clock;
  private final Duration minRebuildInterval;
  private Network snapshot = new NetworkBuilder().build();
  private Instant builtAt = Instant.MIN;
  private boolean dirty;
  private long version;

  public LiveNetwork(Clock clock, Duration minRebuildInterval) {
    this.clock = clock;
    this.minRebuildInterval = minRebuildInterval;
  }

  /** Adds or replaces {@code node} together with every certification on its user IDs. */
  public synchronized void put(Node node, List<Certification> certificationsOnNode) {
    String fpr = Fingerprints.normalize(node.fingerprint());
    keys.put(fpr, new Entry(node, List.copyOf(certificationsOnNode)));
    dirty = true;
  }

  /** Removes a key (and the certifications on it). */
  public synchronized void remove(String fingerprint) {
    if (keys.remove(Fingerprints.normalize(fingerprint)) != null) {
      dirty = true;
    }
  }

  /** The current snapshot; rebuilt first when changed and the rebuild interval has passed. */
  @Override
  public synchronized Network get() {
    Instant now = clock.instant();
    if (dirty && !now.isBefore(builtAt.plus(minRebuildInterval))) {
      rebuild(now);
    }
    return snapshot;
  }

  /** Rebuilds now if anything changed, whatever the interval (for tests and admin actions). */
  public synchronized Network flush() {
    if (dirty) {
      rebuild(clock.instant());
    }
    return snapshot;
  }

  /** Increases with every rebuilt snapshot. */
  public synchronized long version() {
    return version;
  }

  public synchronized int size() {
    return keys.size();
  }

  private void rebuild(Instant now) {
    NetworkBuilder b = new NetworkBuilder();
    for (Entry e : keys.values()) {
      b.addNode(e.node());
    }
    for (Entry e : keys.values()) {
      e.certifications().forEach(b::addCertification);
    }
    snapshot = b.build();
    builtAt = now;
    dirty = false;
    version++;
  }
}
