package org.keyhaven.keyserver.wot.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.wot.OwnerTrust;
import org.keyhaven.keyserver.wot.TrustRootStore;

/** {@link TrustRootStore} on table {@code wot_trust_root} (db-migrations V50). */
public final class JdbcTrustRootStore implements TrustRootStore {

  private final DataSource dataSource;
  private final Clock clock;

  public JdbcTrustRootStore(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  @Override
  public Map<String, OwnerTrust> load() {
    Map<String, OwnerTrust> out = new LinkedHashMap<>();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(
            "SELECT fingerprint, owner_trust FROM wot_trust_root ORDER BY fingerprint")) {
      while (rs.next()) {
        out.put(rs.getString(1), OwnerTrust.ofCode(rs.getInt(2)));
      }
      return out;
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot read the web-of-trust root");
    }
  }

  @Override
  public void replace(Map<String, OwnerTrust> assignments, String actor) {
    Timestamp now = Timestamp.from(clock.instant());
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (Statement del = c.createStatement();
          PreparedStatement ins = c.prepareStatement(
              "INSERT INTO wot_trust_root (fingerprint, owner_trust, set_by, set_at)"
                  + " VALUES (?, ?, ?, ?)")) {
        del.executeUpdate("DELETE FROM wot_trust_root");
        for (Map.Entry<String, OwnerTrust> e : assignments.entrySet()) {
          if (e.getValue() == OwnerTrust.UNKNOWN) {
            continue; // unknown is the absence of a row
          }
          ins.setString(1, e.getKey());
          ins.setInt(2, e.getValue().code());
          ins.setString(3, actor);
          ins.setTimestamp(4, now);
          ins.addBatch();
        }
        ins.executeBatch();
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot store the web-of-trust root");
    }
  }
}
