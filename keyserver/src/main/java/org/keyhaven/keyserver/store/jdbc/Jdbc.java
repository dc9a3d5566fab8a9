package org.keyhaven.keyserver.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.keyhaven.common.PkiException;

/** Small JDBC helpers: transactions, parameter binding of nullable times, error translation. */
final class Jdbc {
  private final DataSource ds;

  Jdbc(DataSource ds) {
    this.ds = ds;
  }

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  <T> T read(String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw translate(e, what);
    }
  }

  <T> T tx(String what, Work<T> work) {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T t = work.run(c);
        c.commit();
        return t;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw translate(e, what);
    }
  }

  static PkiException translate(SQLException e, String what) {
    if ("23505".equals(e.getSQLState())) {
      return PkiException.conflict("%s: duplicate entry", what);
    }
    return PkiException.internal(e, "keyserver store failed to %s", what);
  }

  static void setTime(PreparedStatement ps, int i, Instant t) throws SQLException {
    if (t == null) {
      ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
    } else {
      ps.setObject(i, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    }
  }

  static Instant time(ResultSet rs, String col) throws SQLException {
    OffsetDateTime t = rs.getObject(col, OffsetDateTime.class);
    return t == null ? null : t.toInstant();
  }
}
