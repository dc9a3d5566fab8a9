package org.keyhaven.ca.revocation.store.jdbc;

import java.math.BigInteger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.ca.revocation.RevocationStore;
import org.keyhaven.ca.revocation.RevokedEntry;
import org.keyhaven.ca.store.CertificateStatus;

/**
 * {@link RevocationStore} over the CA's {@code certificate} table (status columns, V10) and the
 * revocation tables of V20.
 */
public final class JdbcRevocationStore implements RevocationStore {
  private final DataSource ds;

  public JdbcRevocationStore(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public boolean change(CaId issuer, BigInteger serial, CertificateStatus.State expected,
      CertificateStatus next, Action action, String actor, Instant at) {
    String hex = serial.toString(16);
    return Sql.tx(ds, "certificate status", c -> {
      // Compare-and-set on the old status: two concurrent revocations cannot both win.
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE certificate SET status = ?, revocation_reason = ?, revoked_at = ?,"
              + " invalidity_date = ? WHERE ca_id = ? AND serial = ? AND status = ?")) {
        ps.setString(1, next.state().code());
        setInt(ps, 2, next.reasonCode());
        Sql.setInstant(ps, 3, next.revokedAt());
        Sql.setInstant(ps, 4, next.invalidityDate());
        ps.setString(5, issuer.value());
        ps.setString(6, hex);
        ps.setString(7, expected.code());
        if (ps.executeUpdate() != 1) {
          c.rollback();
          return false;
        }
      }
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO revocation_event (ca_id, serial, action, reason_code, revoked_at,"
              + " invalidity_date, recorded_at, actor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, issuer.value());
        ps.setString(2, hex);
        ps.setString(3, action.code());
        setInt(ps, 4, next.reasonCode());
        Sql.setInstant(ps, 5, next.revokedAt());
        Sql.setInstant(ps, 6, next.invalidityDate());
        Sql.setInstant(ps, 7, at);
        ps.setString(8, actor.length() > 200 ? actor.substring(0, 200) : actor);
        ps.executeUpdate();
      }
      return true;
    });
  }

  @Override
  public List<RevokedEntry> revoked(CaId issuer) {
    return Sql.tx(ds, "revoked certificates", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT serial, status, revocation_reason, revoked_at, invalidity_date FROM certificate"
              + " WHERE ca_id = ? AND status IN ('revoked', 'hold')")) {
        ps.setString(1, issuer.value());
        ps.setFetchSize(5000);
        return entries(ps);
      }
    });
  }

  @Override
  public List<RevokedEntry> changedSince(CaId issuer, long watermark) {
    return Sql.tx(ds, "changed certificates", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT serial, status, revocation_reason, revoked_at, invalidity_date,"
              + " (SELECT MAX(x.recorded_at) FROM revocation_event x WHERE x.serial ="
              + " certificate.serial) AS last_event FROM certificate"
              + " WHERE ca_id = ? AND serial IN (SELECT e.serial FROM revocation_event e"
              + " WHERE e.ca_id = ? AND e.id > ?)")) {
        ps.setString(1, issuer.value());
        ps.setString(2, issuer.value());
        ps.setLong(3, watermark);
        return entries(ps);
      }
    });
  }

  @Override
  public long latestEvent(CaId issuer) {
    return Sql.tx(ds, "latest revocation event", c -> latestEvent(c, issuer));
  }

  static long latestEvent(Connection c, CaId issuer) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "SELECT MAX(id) FROM revocation_event WHERE ca_id = ?")) {
      ps.setString(1, issuer.value());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public boolean useNonce(String nonce, BigInteger serial, Instant at) {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO revocation_request_nonce (nonce, serial, used_at) VALUES (?, ?, ?)")) {
      ps.setString(1, nonce);
      ps.setString(2, serial.toString(16));
      Sql.setInstant(ps, 3, at);
      ps.executeUpdate();
      return true;
    } catch (SQLException e) {
      if (Sql.isDuplicate(e)) {
        return false;
      }
      throw Sql.map(e, "revocation request nonce");
    }
  }

  private static List<RevokedEntry> entries(PreparedStatement ps) throws SQLException {
    List<RevokedEntry> out = new ArrayList<>();
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        BigInteger serial = new BigInteger(rs.getString(1), 16);
        String status = rs.getString(2);
        if ("good".equals(status)) {
          // Released from hold since the watermark: listed once more with removeFromCRL.
          out.add(new RevokedEntry(serial, Sql.instant(rs, "last_event"), Optional.empty(),
              Optional.empty()));
          continue;
        }
        int code = rs.getInt(3);
        RevocationReason reason = rs.wasNull()
            ? RevocationReason.UNSPECIFIED : RevocationReason.ofCode(code);
        out.add(new RevokedEntry(serial, Sql.instant(rs, "revoked_at"), Optional.of(reason),
            Optional.ofNullable(Sql.instant(rs, "invalidity_date"))));
      }
    }
    return out;
  }

  private static void setInt(PreparedStatement ps, int i, Integer v) throws SQLException {
    if (v == null) {
      ps.setNull(i, Types.INTEGER);
    } else {
      ps.setInt(i, v);
    }
  }
}
