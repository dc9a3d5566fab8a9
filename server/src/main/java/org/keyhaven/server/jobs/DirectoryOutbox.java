package org.keyhaven.server.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.keyhaven.common.PkiException;

/**
 * The {@code directory_outbox} table (V40): changes with no outbox of their own, today OpenPGP
 * keys. A row names what changed; the worker re-reads the current state when it drains it.
 */
public final class DirectoryOutbox {
  public static final String KIND_KEY = "openpgp-key";
  private final DataSource ds;

  public DirectoryOutbox(DataSource ds) {
    this.ds = ds;
  }

  /** A pending row. */
  public record Row(long id, String kind, String ref, int attempts) {}

  /**
   * Records that the key {@code fingerprint} changed. Call it on the connection of the
   * transaction that changed {@code ks_key}, so the change and its publication commit together.
   */
  public static void appendKeyChange(Connection c, String fingerprint, Instant at)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO directory_outbox (kind, ref, created_at) VALUES (?, ?, ?)")) {
      ps.setString(1, KIND_KEY);
      ps.setString(2, fingerprint.toUpperCase(java.util.Locale.ROOT));
      ps.setObject(3, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      ps.executeUpdate();
    }
  }

  /** Same, in a transaction of its own. */
  public void appendKeyChange(String fingerprint, Instant at) {
    try (Connection c = ds.getConnection()) {
      appendKeyChange(c, fingerprint, at);
    } catch (SQLException e) {
      throw PkiException.unavailable("database unavailable: %s", e.getMessage());
    }
  }

  /** Unpublished rows whose back-off has elapsed, oldest first. */
  public List<Row> pending(int limit, Instant now) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, kind, ref, attempts FROM directory_outbox WHERE published_at IS NULL"
            + " AND (next_attempt IS NULL OR next_attempt <= ?) ORDER BY id LIMIT ?")) {
      ps.setObject(1, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
      ps.setInt(2, limit);
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw PkiException.unavailable("database unavailable: %s", e.getMessage());
    }
  }

  /** Every row above {@code afterId}, published or not, oldest first (nodes that follow). */
  public List<Row> after(long afterId, int limit) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, kind, ref, attempts FROM directory_outbox WHERE id > ? ORDER BY id LIMIT ?")) {
      ps.setLong(1, afterId);
      ps.setInt(2, limit);
      List<Row> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4)));
        }
      }
      return out;
    } catch (SQLException e) {
      throw PkiException.unavailable("database unavailable: %s", e.getMessage());
    }
  }

  /** The highest row id so far, 0 if none. */
  public long lastId() {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT COALESCE(MAX(id), 0) FROM directory_outbox"); ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw PkiException.unavailable("database unavailable: %s", e.getMessage());
    }
  }

  public void markPublished(long id, Instant at) {
    update("UPDATE directory_outbox SET published_at = ? WHERE id = ?", at, null, id);
  }

  public void markFailed(long id, String error, Instant nextAttempt) {
    update("UPDATE directory_outbox SET attempts = attempts + 1, next_attempt = ?,"
        + " last_error = ? WHERE id = ?", nextAttempt, error, id);
  }

  private void update(String sql, Instant at, String error, long id) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      int i = 1;
      ps.setObject(i++, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      if (sql.contains("last_error")) {
        ps.setString(i++, error == null ? null : error.substring(0, Math.min(1000,
            error.length())));
      }
      ps.setLong(i, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw PkiException.unavailable("database unavailable: %s", e.getMessage());
    }
  }
}
