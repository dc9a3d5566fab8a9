package org.keyhaven.server.jobs;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.OutboxStore;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.directory.DirectoryPublisher;
import org.keyhaven.directory.ldap.CaEventPublisher;
import org.keyhaven.directory.ldap.PgpKeyParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps every directory target in step with the database: first a reconcile (rebuild) from the
 * tables, then on each tick it takes the CA's publication outbox and the directory outbox, and
 * follows the revocation log and the CRL table. A target that is down leaves rows pending, with
 * back-off, so nothing committed is lost; the next tick or the next start catches up.
 *
 * <p>In a cluster the outboxes are shared and each node has its own embedded directory, so a
 * worker works in one of two {@link Mode modes}: every node <em>follows</em> the outboxes into its
 * own directory without marking rows, and one node (the lease holder) <em>drains</em> them into
 * the shared external directory and marks them published (docs/SCALING.md).
 */
public final class PublicationWorker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PublicationWorker.class);
  /**
   * Test-only system property: when "true", the worker still reconciles at start but then
   * publishes nothing and marks nothing, so a test can hold the window between a commit and its
   * publication open for as long as it likes and SIGKILL the process inside it
   * (DirectoryKillTest). Never set in production; the server logs a warning if it is.
   */
  public static final String HOLD_PROPERTY = "keyhaven.test.holdPublication";
  static final boolean HOLD = Boolean.getBoolean(HOLD_PROPERTY);
  static final int BATCH = 200;
  /** After this many failures a row that is not retryable is dead-lettered (kept, with error). */
  static final int MAX_ATTEMPTS = 10;
  /** How far back (in ids) a following node re-reads the outboxes for late commits. */
  static final int LOOKBACK = 64;

  /** How a worker takes the outboxes. */
  public enum Mode {
    /** Publishes pending rows and marks them published (one node of a cluster at a time). */
    DRAIN,
    /** Reads every new row by id into this node's own directories; never marks (every node). */
    FOLLOW
  }

  /** One directory to keep in step; {@code rebuild} clears it first (the embedded server). */
  public record Target(String name, DirectoryPublisher publisher, Runnable clear) {}

  private final List<Target> targets;
  private final DirectorySource source;
  private final OutboxStore caOutbox;
  private final DirectoryOutbox directoryOutbox;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Mode mode;
  private long caOutboxSeen = -1;
  private long directoryOutboxSeen = -1;
  private final Set<Long> followedCa = new HashSet<>();
  private final Set<Long> followedKeys = new HashSet<>();
  private final Set<String> reconciled = new HashSet<>();
  private final Map<String, Long> crlNumbers = new HashMap<>();
  private long statusWatermark = -1;
  private Instant keyWatermark;

  public PublicationWorker(List<Target> targets, DirectorySource source, OutboxStore caOutbox,
      DirectoryOutbox directoryOutbox, Clock clock) {
    this(targets, source, caOutbox, directoryOutbox, clock, Mode.DRAIN);
  }

  public PublicationWorker(List<Target> targets, DirectorySource source, OutboxStore caOutbox,
      DirectoryOutbox directoryOutbox, Clock clock, Mode mode) {
    this.mode = mode;
    this.targets = List.copyOf(targets);
    this.source = source;
    this.caOutbox = caOutbox;
    this.directoryOutbox = directoryOutbox;
    this.clock = clock;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "directory-publication");
      t.setDaemon(true);
      return t;
    });
  }

  /** Runs {@link #tick()} now and then every {@code period}. */
  public PublicationWorker start(Duration period) {
    if (HOLD) {
      LOG.warn("{}=true: directory publication is held (test switch)", HOLD_PROPERTY);
    }
    executor.scheduleWithFixedDelay(() -> {
      try {
        tick();
      } catch (RuntimeException e) {
        LOG.warn("directory publication: {}", e.getMessage());
      }
    }, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One pass; public so tests and the CLI can drive it synchronously. */
  public synchronized void tick() {
    if (targets.isEmpty()) {
      if (HOLD) {
        return;
      }
      // A drain with no shared directory (the embedded ones follow): the rows are done.
      drainCaOutbox();
      drainDirectoryOutbox();
      return;
    }
    for (Target t : targets) {
      if (!reconciled.contains(t.name())) {
        try {
          reconcile(t);
          reconciled.add(t.name());
        } catch (PkiException e) {
          // This target stays out of the incremental steps below until a reconcile succeeds;
          // that reconcile reads the whole database, so nothing drained meanwhile is lost.
          LOG.warn("directory {}: reconcile failed, will retry: {}", t.name(), e.getMessage());
        }
      }
    }
    if (HOLD) {
      return; // test-only: committed changes wait in the outboxes (the crash window, held open)
    }
    if (reconciled.isEmpty()) {
      return; // every directory is down: leave the outbox rows pending for the operator to see
    }
    if (mode == Mode.FOLLOW) {
      followCaOutbox();
      followDirectoryOutbox();
    } else {
      drainCaOutbox();
      drainDirectoryOutbox();
    }
    followStatusChanges();
    followCrls();
    followKeys();
  }

  /**
   * Makes a target equal to the database: CAs, current certificates, latest CRLs and keys are
   * written; person entries and keys the database no longer has are removed.
   */
  void reconcile(Target t) {
    long t0 = System.nanoTime();
    long watermark = source.lastStatusChangeId();
    long caOutboxAsOf = mode == Mode.FOLLOW ? caOutbox.lastId() : -1;
    long directoryOutboxAsOf = mode == Mode.FOLLOW ? directoryOutbox.lastId() : -1;
    Instant keysAsOf = clock.instant().minusSeconds(5);
    if (t.clear() != null) {
      t.clear().run();
    }
    DirectoryPublisher p = t.publisher();
    for (byte[] ca : source.caCertificates()) {
      skipBad(() -> p.publishCaCertificate(ca));
    }
    Map<String, Set<String>> wanted = new HashMap<>();
    List<DirectorySource.Cert> certs = source.currentCertificates();
    if (t.clear() != null) {
      // Cleared: no person entry exists, so add each one whole (docs/BENCHMARKS.md, rebuild).
      p.loadCertificates(certs.stream().map(DirectorySource.Cert::der).toList());
    }
    for (DirectorySource.Cert c : certs) {
      if (t.clear() == null) {
        skipBad(() -> p.publishCertificate(c.der()));
      }
      for (String e : c.emails()) {
        wanted.computeIfAbsent(e, k -> new HashSet<>()).add(c.serial());
      }
    }
    for (DirectorySource.Crl crl : source.latestCrls()) {
      skipBad(() -> p.publishCrl(crl.der()));
      crlNumbers.merge(crl.caId() + "/" + crl.kind(), crl.number(), Math::max);
    }
    if (t.clear() == null) {
      for (String mailbox : p.publishedMailboxes()) {
        if (!wanted.containsKey(mailbox.toLowerCase(java.util.Locale.ROOT))) {
          p.removeMailbox(mailbox);
        }
      }
      // Certificates revoked while publication was down stay on entries that have others.
      for (String mailbox : wanted.keySet()) {
        for (byte[] der : ((org.keyhaven.directory.CertificateDirectory) p)
            .certificatesFor(mailbox)) {
          if (certs.stream().noneMatch(c -> java.util.Arrays.equals(c.der(), der))) {
            p.withdrawCertificate(der);
          }
        }
      }
    }
    Set<String> keys = new HashSet<>(source.keyFingerprints());
    for (String fpr : keys) {
      skipBad(() -> publishKey(p, fpr));
    }
    if (t.clear() == null) {
      for (String fpr : p.publishedKeyFingerprints()) {
        if (!keys.contains(fpr)) {
          p.removeKey(fpr);
        }
      }
    }
    statusWatermark = statusWatermark < 0 ? watermark : Math.min(statusWatermark, watermark);
    caOutboxSeen = caOutboxSeen < 0 ? caOutboxAsOf : Math.min(caOutboxSeen, caOutboxAsOf);
    directoryOutboxSeen = directoryOutboxSeen < 0 ? directoryOutboxAsOf
        : Math.min(directoryOutboxSeen, directoryOutboxAsOf);
    keyWatermark = keyWatermark == null || keysAsOf.isBefore(keyWatermark) ? keysAsOf
        : keyWatermark;
    LOG.info("directory {} reconciled: {} certificates, {} keys in {} ms", t.name(),
        certs.size(), keys.size(), (System.nanoTime() - t0) / 1_000_000);
  }

  /**
   * Runs {@code work} on every reconciled target. A target that is unavailable is dropped back to
   * "needs reconcile", so one directory being down neither blocks the others nor loses changes.
   */
  private void forTargets(java.util.function.Consumer<DirectoryPublisher> work) {
    for (Target t : targets) {
      if (!reconciled.contains(t.name())) {
        continue;
      }
      try {
        work.accept(t.publisher());
      } catch (PkiException e) {
        if (e.kind() != ErrorKind.UNAVAILABLE) {
          throw e;
        }
        reconciled.remove(t.name());
        LOG.warn("directory {} unavailable, will reconcile: {}", t.name(), e.getMessage());
      }
    }
  }

  /** Bad rows in the database must not stop a rebuild; they are logged and skipped. */
  private static void skipBad(Runnable r) {
    try {
      r.run();
    } catch (PkiException e) {
      if (e.kind() == ErrorKind.UNAVAILABLE) {
        throw e;
      }
      LOG.warn("directory: skipped an entry: {}", e.getMessage());
    }
  }

  private void publishKey(DirectoryPublisher p, String fingerprint) {
    DirectorySource.Key key = source.key(fingerprint);
    if (key == null) {
      p.removeKey(fingerprint);
      return;
    }
    var facts = PgpKeyParser.parse(key.served());
    if (key.revoked() && !facts.revoked()) {
      facts = new org.keyhaven.directory.PgpKeyFacts(facts.fingerprint(), facts.keyId(),
          facts.subkeyFingerprints(), facts.subkeyIds(), facts.userIds(), facts.mailboxes(),
          facts.created(), facts.expires(), true, facts.algorithm(), facts.bits(),
          facts.keyring());
    }
    p.publishKey(facts);
  }

  private void drainCaOutbox() {
    for (PublicationEvent event : caOutbox.pending(BATCH)) {
      try {
        apply(event, false);
        caOutbox.markPublished(event.id(), clock.instant());
      } catch (PkiException e) {
        caOutbox.markFailed(event.id(), e.getMessage());
        if (e.kind() == ErrorKind.UNAVAILABLE) {
          return; // keep order: later events wait for this one
        }
        // Not retryable (bad bytes, policy): dead-letter it with its error kept in last_error.
        caOutbox.markPublished(event.id(), clock.instant());
        LOG.warn("directory: outbox event {} dead-lettered: {}", event.id(), e.getMessage());
      }
    }
  }

  /**
   * Publishes one CA outbox event to every reconciled target ({@code tolerant}: a bad entry is
   * logged and skipped instead of failing the event).
   *
   * <p>An event can be older than what the directory already shows: after a crash between commit
   * and drain it is replayed after the reconcile, which already wrote the current state, and the
   * revocation that followed it is behind the status watermark; a following node also re-reads
   * the last {@link #LOOKBACK} events after its reconcile. So an end-entity certificate is
   * published only if it is still good, else withdrawn. Found by CrashConsistencyTest: a
   * certificate revoked before the kill came back into the directory for good after the restart.
   */
  private void apply(PublicationEvent event, boolean tolerant) {
    java.util.function.Consumer<DirectoryPublisher> work;
    if (event.kind() == PublicationEvent.Kind.END_ENTITY_CERTIFICATE) {
      boolean good = event.serialHex() == null
          || "good".equals(source.status(event.serialHex()));
      byte[] der = event.der().toByteArray();
      work = p -> {
        if (good) {
          p.publishCertificate(der);
        } else {
          p.withdrawCertificate(der);
        }
      };
    } else {
      // Revocations arrive through the revocation log (followStatusChanges), so CA events need
      // no per-serial withdrawal here: that would cost a query per CRL entry.
      work = p -> new CaEventPublisher(p, (ca, serial) -> null).publish(event);
    }
    forTargets(tolerant ? p -> skipBad(() -> work.accept(p)) : work);
  }

  /**
   * FOLLOW mode: every outbox row newer than the last one seen, into this node's directories.
   * Ids are drawn at insert but become visible at commit, so with several writers a lower id can
   * appear after a higher one was read: each read looks {@link #LOOKBACK} ids back and skips the
   * rows it already followed.
   */
  private void followCaOutbox() {
    long from = Math.max(0, caOutboxSeen - LOOKBACK);
    for (PublicationEvent event : caOutbox.after(from, BATCH + LOOKBACK)) {
      if (followedCa.add(event.id())) {
        apply(event, true);
        caOutboxSeen = Math.max(caOutboxSeen, event.id());
      }
    }
    trim(followedCa, caOutboxSeen);
  }

  private void followDirectoryOutbox() {
    long from = Math.max(0, directoryOutboxSeen - LOOKBACK);
    for (DirectoryOutbox.Row row : directoryOutbox.after(from, BATCH + LOOKBACK)) {
      if (followedKeys.add(row.id())) {
        forTargets(p -> skipBad(() -> publishKey(p, row.ref())));
        directoryOutboxSeen = Math.max(directoryOutboxSeen, row.id());
      }
    }
    trim(followedKeys, directoryOutboxSeen);
  }

  private static void trim(Set<Long> followed, long seen) {
    followed.removeIf(id -> id < seen - LOOKBACK);
  }

  private void drainDirectoryOutbox() {
    Instant now = clock.instant();
    for (DirectoryOutbox.Row row : directoryOutbox.pending(BATCH, now)) {
      try {
        forTargets(p -> publishKey(p, row.ref()));
        directoryOutbox.markPublished(row.id(), now);
      } catch (PkiException e) {
        boolean retry = e.kind() == ErrorKind.UNAVAILABLE && row.attempts() < MAX_ATTEMPTS * 10;
        // Exponential back-off, capped at 10 minutes.
        long delay = Math.min(600, 1L << Math.min(row.attempts(), 10));
        directoryOutbox.markFailed(row.id(), e.getMessage(),
            retry ? now.plusSeconds(delay) : now.plus(Duration.ofDays(3650)));
        if (e.kind() == ErrorKind.UNAVAILABLE) {
          return;
        }
      }
    }
  }

  /** Revocations, holds and releases reach the directory even without a CRL event. */
  private void followStatusChanges() {
    for (DirectorySource.StatusChange s : source.statusChanges(statusWatermark, BATCH)) {
      byte[] der = source.certificate(s.serial());
      if (der != null) {
        boolean good = "good".equals(source.status(s.serial()));
        forTargets(p -> skipBad(() -> {
          if (good) {
            p.publishCertificate(der);
          } else {
            p.withdrawCertificate(der);
          }
        }));
      }
      statusWatermark = s.id();
    }
  }

  private void followCrls() {
    for (DirectorySource.Crl crl : source.latestCrls()) {
      String k = crl.caId() + "/" + crl.kind();
      if (crlNumbers.getOrDefault(k, -1L) < crl.number()) {
        forTargets(p -> skipBad(() -> p.publishCrl(crl.der())));
        crlNumbers.put(k, crl.number());
      }
    }
  }

  /**
   * Keys changed through HKP reach LDAP without waiting for a restart, even while the keyserver
   * does not yet append to directory_outbox (removals still need that row or a reconcile).
   */
  private void followKeys() {
    DirectorySource.KeyChanges changes = source.keysChangedAfter(keyWatermark);
    for (String fpr : changes.fingerprints()) {
      forTargets(p -> skipBad(() -> publishKey(p, fpr)));
    }
    // Lag two seconds behind the clock so a transaction that committed late, with an earlier
    // updated_at, is still seen; keys in that window are republished (idempotent) once or twice.
    Instant lagged = clock.instant().minusSeconds(2);
    Instant next = changes.newest().isBefore(lagged) ? changes.newest() : lagged;
    keyWatermark = next.isAfter(keyWatermark) ? next : keyWatermark;
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
