package org.keyhaven.server.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's scheduler for periodic jobs. A <em>cluster</em> job runs on the one node that holds
 * its {@link JobLeases lease}: every period each node asks for the lease, and only the holder (who
 * renews it by asking) runs the job; when the holder dies its lease expires after {@code ttl} and
 * the next node to ask takes the job over. A <em>node</em> job maintains this process's own state
 * and runs on every node. Each run is counted in {@code keyhaven_job_runs_total{job=…}} and the
 * lease in {@code keyhaven_job_lease_held{job=…}} (1 on the holder), so the cluster can be watched.
 */
public final class LeasedJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeasedJobs.class);
  private final JobLeases leases;
  private final MeterRegistry meters;
  private final ScheduledExecutorService executor;
  private final Map<String, Boolean> held = new ConcurrentHashMap<>();
  private final List<String> clusterJobs = new CopyOnWriteArrayList<>();

  public LeasedJobs(JobLeases leases, MeterRegistry meters) {
    this.leases = leases;
    this.meters = meters;
    this.executor = Executors.newScheduledThreadPool(4, r -> {
      Thread t = new Thread(r, "keyhaven-jobs");
      t.setDaemon(true);
      return t;
    });
  }

  /** The lease time for a job run every {@code period}: three missed renewals, at least 5 s. */
  public static Duration ttlFor(Duration period) {
    Duration three = period.multipliedBy(3);
    return three.compareTo(Duration.ofSeconds(5)) < 0 ? Duration.ofSeconds(5) : three;
  }

  /**
   * Runs {@code job} every {@code period} (first after {@code initialDelay}) on whichever node holds
   * the lease named {@code name}. The lease is renewed before each run, so a run longer than
   * {@code ttlFor(period)} can overlap one on another node: jobs must stay safe when that happens
   * (ours write through the database's own numbering and constraints).
   */
  public void cluster(String name, Duration initialDelay, Duration period, Runnable job) {
    Duration ttl = ttlFor(period);
    clusterJobs.add(name);
    held.put(name, false);
    Gauge.builder("keyhaven_job_lease_held", held, m -> m.getOrDefault(name, false) ? 1 : 0)
        .tag("job", name).description("1 while this node holds the job's lease")
        .register(meters);
    Counter runs = runs(name);
    executor.scheduleWithFixedDelay(() -> {
      boolean mine;
      try {
        mine = leases.tryAcquire(name, ttl);
      } catch (RuntimeException e) {
        // Database unreachable: this node cannot know, so it must not act as the holder.
        mine = false;
        LOG.warn("job {}: cannot renew the lease; not running: {}", name, e.getMessage());
      }
      if (mine != held.get(name)) {
        LOG.info("job {}: lease {} by {}", name, mine ? "taken" : "lost", leases.nodeId());
      }
      held.put(name, mine);
      if (mine) {
        runs.increment();
        try {
          job.run();
        } catch (RuntimeException e) {
          LOG.warn("job {} failed; will retry: {}", name, e.getMessage(), e);
        }
      }
    }, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs {@code job} every {@code period} on this node (state that is per process). */
  public void node(String name, Duration initialDelay, Duration period, Runnable job) {
    Counter runs = runs(name);
    executor.scheduleWithFixedDelay(() -> {
      try {
        runs.increment();
        job.run();
      } catch (RuntimeException e) {
        LOG.warn("job {} failed; will retry: {}", name, e.getMessage(), e);
      }
    }, initialDelay.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** True while this node holds the lease of cluster job {@code name}. */
  public boolean holds(String name) {
    return held.getOrDefault(name, false);
  }

  private Counter runs(String name) {
    return Counter.builder("keyhaven_job_runs").tag("job", name)
        .description("Runs of a periodic job on this node").register(meters);
  }

  /** Stops the jobs and gives up the leases this node holds, so another node takes over at once. */
  @Override
  public void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (String name : clusterJobs) {
      if (held.getOrDefault(name, false)) {
        try {
          leases.release(name);
        } catch (RuntimeException e) {
          LOG.warn("could not release lease {}: {}", name, e.getMessage());
        }
      }
    }
  }
}
