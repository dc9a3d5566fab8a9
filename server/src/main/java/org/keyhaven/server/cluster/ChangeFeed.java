package org.keyhaven.server.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.keyhaven.common.PkiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A change feed in the database that lets every node react to changes made on any node: a
 * revocation on node A invalidates node B's pre-signed OCSP answers, a key upload updates every
 * node's web-of-trust graph. Writers call {@link #publish}; each node polls every
 * {@link #POLL} for newer events and calls the listeners of their topic. A node skips its own
 * events: every publisher has already applied the change locally, before publishing, and
 * applying it a second time a poll later undid work done in between (a key upload emptied the
 * HKP response cache once more, 250 ms later, dropping answers computed after the upload).
 * Bounded delay: one poll.
 */
public final class ChangeFeed implements AutoCloseable {
  public static final Duration POLL = Duration.ofMillis(250);
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFeed.class);
  private final DataSource dataSource;
  private final Clock clock;
  private final String nodeId;
  private final Map<String, List<Consumer<String>>> listeners = new ConcurrentHashMap<>();
  private final ScheduledExecutorService poller =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "keyhaven-change-feed");
        t.setDaemon(true);
        return t;
      });
  private volatile long lastSeen;

  public ChangeFeed(DataSource dataSource, Clock clock, String nodeId) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.nodeId = nodeId;
    this.lastSeen = currentMax();
  }

  /** Starts polling. */
  public void start() {
    poller.scheduleWithFixedDelay(this::pollSafely, POLL.toMillis(), POLL.toMillis(), TimeUnit.MILLISECONDS);
  }

  public void subscribe(String topic, Consumer<String> listener) {
    listeners.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(listener);
  }

  /** Records a change (call it after the change's own transaction committed). */
  public void publish(String topic, String item) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO change_event (topic, item, origin, at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, topic);
      ps.setString(2, item);
      ps.setString(3, nodeId);
      ps.setTimestamp(4, Timestamp.from(clock.instant()));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot publish change %s", topic);
    }
  }

  /** Delivers every event newer than the last one seen; returns how many. */
  public int poll() {
    int delivered = 0;
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT seq, topic, item, origin FROM change_event WHERE seq > ? ORDER BY seq"
                + " LIMIT 10000")) {
      ps.setLong(1, lastSeen);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long seq = rs.getLong(1);
          lastSeen = seq;
          if (nodeId.equals(rs.getString(4))) {
            continue;
          }
          for (Consumer<String> l : listeners.getOrDefault(rs.getString(2), List.of())) {
            try {
              l.accept(rs.getString(3));
            } catch (RuntimeException e) {
              LOG.warn("change listener for {} failed", rs.getString(2), e);
            }
          }
          delivered++;
        }
      }
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot read the change feed");
    }
    return delivered;
  }

  /** Deletes events older than {@code age}: every node has seen them long since. */
  public int prune(Duration age) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM change_event WHERE at < ?")) {
      ps.setTimestamp(1, Timestamp.from(clock.instant().minus(age)));
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot prune the change feed");
    }
  }

  private void pollSafely() {
    try {
      poll();
    } catch (RuntimeException e) {
      LOG.warn("change feed poll failed; will retry", e);
    }
  }

  private long currentMax() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COALESCE(MAX(seq), 0) FROM change_event");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot read the change feed");
    }
  }

  @Override
  public void close() {
    poller.shutdownNow();
  }
}
