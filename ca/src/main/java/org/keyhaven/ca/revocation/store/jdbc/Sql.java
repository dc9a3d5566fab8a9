package org.keyhaven.ca.revocation.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.keyhaven.common.PkiException;

/** Transaction and mapping helpers (a copy of the CA adapters' three-line helpers, by design). */
final class Sql {
  private Sql() {}

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

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

  static boolean isDuplicate(SQLException e) {
    return "23505".equals(e.getSQLState());
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
}
