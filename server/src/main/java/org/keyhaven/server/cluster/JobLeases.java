package org.keyhaven.server.cluster;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;
import org.keyhaven.common.PkiException;

/**
 * Database leases that make a scheduled job run on one node of a cluster at a time. The holder
 * renews its lease on every run; when a node dies its lease expires and the next node to ask
 * takes the job. Assumes node clocks agree to within a fraction of the lease time (NTP).
 */
public final class JobLeases {
  private final DataSource dataSource;
  private final Clock clock;
  private final String nodeId;

  public JobLeases(DataSource dataSource, Clock clock, String nodeId) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.nodeId = nodeId;
  }

  public String nodeId() {
    return nodeId;
  }

  /** True if this node holds (or just took, or renewed) the lease on {@code job} for {@code ttl}. */
  public boolean tryAcquire(String job, Duration ttl) {
    Instant now = clock.instant();
    Timestamp until = Timestamp.from(now.plus(ttl));
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE job_lease SET holder = ?, expires_at = ?"
              + " WHERE job_name = ? AND (holder = ? OR expires_at < ?)")) {
        ps.setString(1, nodeId);
        ps.setTimestamp(2, until);
        ps.setString(3, job);
        ps.setString(4, nodeId);
        ps.setTimestamp(5, Timestamp.from(now));
        if (ps.executeUpdate() == 1) {
          return true;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO job_lease (job_name, holder, expires_at) VALUES (?, ?, ?)")) {
        ps.setString(1, job);
        ps.setString(2, nodeId);
        ps.setTimestamp(3, until);
        ps.executeUpdate();
        return true;
      } catch (SQLException e) {
        if ("23505".equals(e.getSQLState())) {
          return false; // another node holds it
        }
        throw e;
      }
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot take job lease %s", job);
    }
  }

  /** Gives the lease up (on shutdown), so another node takes over at once. */
  public void release(String job) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM job_lease WHERE job_name = ? AND holder = ?")) {
      ps.setString(1, job);
      ps.setString(2, nodeId);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot release job lease %s", job);
    }
  }
}
