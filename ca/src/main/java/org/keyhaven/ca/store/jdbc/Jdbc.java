package org.keyhaven.ca.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.common.PkiException;

/** Transaction and mapping helpers shared by the adapters. */
final class Jdbc {
  private Jdbc() {}

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one transaction; maps SQL errors to PkiException. */
  static <T> T tx(DataSource ds, String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw map(e, what);
    }
  }

  static PkiException map(SQLException e, String what) {
    if ("23505".equals(e.getSQLState())) {
      return PkiException.conflict("%s: already exists", what);
    }
    return PkiException.internal(e, "database error: %s", what);
  }

  static void setInstant(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setObject(i, null);
    } else {
      ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }
  }

  static Instant instant(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }

  static Integer intOrNull(ResultSet rs, String col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : v;
  }

  private static final String INSERT_OUTBOX =
      "INSERT INTO publication_outbox (kind, ca_id, serial, subject, emails, der, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?)";

  /** Inserts the event and returns its id. */
  static long insertOutbox(Connection c, PublicationEvent ev) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX, new String[] {"id"})) {
      bindOutbox(ps, ev);
      ps.executeUpdate();
      try (ResultSet keys = ps.getGeneratedKeys()) {
        keys.next();
        return keys.getLong(1);
      }
    }
  }

  /** Inserts the event when its id is not needed (no generated-keys round trip). */
  static void addOutbox(Connection c, PublicationEvent ev) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_OUTBOX)) {
      bindOutbox(ps, ev);
      ps.executeUpdate();
    }
  }

  private static void bindOutbox(PreparedStatement ps, PublicationEvent ev) throws SQLException {
    ps.setString(1, ev.kind().code());
    ps.setString(2, ev.caId());
    ps.setString(3, ev.serialHex());
    ps.setString(4, ev.subject());
    ps.setString(5, String.join(",", ev.emails()));
    ps.setBytes(6, ev.der().toByteArray());
    setInstant(ps, 7, ev.createdAt());
  }
}
