package org.keyhaven.ca.revocation.store.jdbc;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.crl.CrlKind;
import org.keyhaven.ca.crl.CrlStore;
import org.keyhaven.ca.crl.StoredCrl;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/** {@link CrlStore} over {@code crl_sequence} and {@code crl} (V20). */
public final class JdbcCrlStore implements CrlStore {
  private final DataSource ds;

  public JdbcCrlStore(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public Optional<BigInteger> latestNumber(CaId ca, CrlKind kind) {
    return Sql.tx(ds, "latest CRL number", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT MAX(crl_number) FROM crl WHERE ca_id = ? AND kind = ?")) {
        ps.setString(1, ca.value());
        ps.setString(2, kind.code());
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          long n = rs.getLong(1);
          return rs.wasNull() ? Optional.<BigInteger>empty() : Optional.of(BigInteger.valueOf(n));
        }
      }
    });
  }

  @Override
  public Optional<StoredCrl> latest(CaId ca, CrlKind kind) {
    return latest(ca, kind, "");
  }

  @Override
  public Optional<StoredCrl> latestBase(CaId ca) {
    return latest(ca, CrlKind.FULL, " AND delta_base = TRUE");
  }

  private Optional<StoredCrl> latest(CaId ca, CrlKind kind, String and) {
    return Sql.tx(ds, "latest CRL", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT crl_number, base_number, event_watermark, this_update, next_update, entries,"
              + " delta_base, der FROM crl WHERE ca_id = ? AND kind = ?" + and
              + " ORDER BY crl_number DESC LIMIT 1")) {
        ps.setString(1, ca.value());
        ps.setString(2, kind.code());
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.<StoredCrl>empty();
          }
          long base = rs.getLong("base_number");
          return Optional.of(new StoredCrl(ca, BigInteger.valueOf(rs.getLong("crl_number")), kind,
              BigInteger.valueOf(base), rs.getLong("event_watermark"),
              Sql.instant(rs, "this_update"), Sql.instant(rs, "next_update"),
              rs.getInt("entries"), rs.getBoolean("delta_base"), Bytes.copyOf(rs.getBytes("der"))));
        }
      }
    });
  }

  @Override
  public StoredCrl issue(CaId ca, long atLeast, Builder builder) {
    return Sql.tx(ds, "CRL", c -> {
      long number = nextNumber(c, ca, atLeast);
      StoredCrl crl = builder.build(BigInteger.valueOf(number));
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO crl (ca_id, crl_number, kind, base_number, event_watermark, this_update,"
              + " next_update, entries, delta_base, der) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, ca.value());
        ps.setLong(2, number);
        ps.setString(3, crl.kind().code());
        ps.setLong(4, crl.baseNumber().longValueExact());
        ps.setLong(5, crl.eventWatermark());
        Sql.setInstant(ps, 6, crl.thisUpdate());
        Sql.setInstant(ps, 7, crl.nextUpdate());
        ps.setInt(8, crl.entries());
        ps.setBoolean(9, crl.deltaBase());
        ps.setBytes(10, crl.der().toByteArray());
        ps.executeUpdate();
      }
      // Older CRLs of the same kind are history nobody serves; keep the newest 20 for audit
      // (by rank: numbers are not consecutive).
      try (PreparedStatement ps = c.prepareStatement(
          "DELETE FROM crl WHERE ca_id = ? AND kind = ? AND delta_base = FALSE AND crl_number <"
              + " (SELECT MIN(n) FROM (SELECT crl_number AS n FROM crl WHERE ca_id = ?"
              + " AND kind = ? ORDER BY crl_number DESC LIMIT 20) newest)")) {
        ps.setString(1, ca.value());
        ps.setString(2, crl.kind().code());
        ps.setString(3, ca.value());
        ps.setString(4, crl.kind().code());
        ps.executeUpdate();
      }
      return crl;
    });
  }

  /**
   * RFC 5280 §5.2.3: strictly increasing. The UPDATE takes a row lock held until commit, so a
   * second process waits and then sees the incremented value.
   */
  private static long nextNumber(Connection c, CaId ca, long atLeast) throws SQLException {
    for (int attempt = 0; attempt < 3; attempt++) {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE crl_sequence SET last_number = GREATEST(last_number + 1, ?) WHERE ca_id = ?")) {
        ps.setLong(1, atLeast);
        ps.setString(2, ca.value());
        if (ps.executeUpdate() == 1) {
          try (PreparedStatement q = c.prepareStatement(
              "SELECT last_number FROM crl_sequence WHERE ca_id = ?")) {
            q.setString(1, ca.value());
            try (ResultSet rs = q.executeQuery()) {
              rs.next();
              return rs.getLong(1);
            }
          }
        }
      }
      // PostgreSQL aborts the whole transaction on a failed statement: the savepoint keeps it
      // usable when another process inserted the row first.
      java.sql.Savepoint before = c.setSavepoint();
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO crl_sequence (ca_id, last_number) VALUES (?, ?)")) {
        long first = Math.max(1, atLeast);
        ps.setString(1, ca.value());
        ps.setLong(2, first);
        ps.executeUpdate();
        c.releaseSavepoint(before);
        return first;
      } catch (SQLException e) {
        if (!Sql.isDuplicate(e)) {
          throw e;
        }
        // Another process created the row first; take the UPDATE path again.
        c.rollback(before);
      }
    }
    throw PkiException.unavailable("could not draw a CRL number for %s; retry", ca);
  }
}
