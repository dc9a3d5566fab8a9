package org.keyhaven.ca.store.jdbc;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.keyhaven.ca.Approval;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.store.ApprovalStore;
import org.keyhaven.common.Bytes;

/** {@link ApprovalStore} on the {@code ca_approval} table. */
public final class JdbcApprovalStore implements ApprovalStore {
  private final DataSource ds;

  public JdbcApprovalStore(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public long create(Approval a) {
    return Jdbc.tx(ds, "approval", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO ca_approval (ca_id, profile, csr_der, validity_days, subject,"
              + " requested_by, requested_at, status) VALUES (?, ?, ?, ?, ?, ?, ?, 'pending')",
          new String[] {"id"})) {
        ps.setString(1, a.caId().value());
        ps.setString(2, a.profile());
        ps.setBytes(3, a.csrDer().toByteArray());
        ps.setObject(4, a.validityDays());
        ps.setString(5, a.subject());
        ps.setString(6, a.requestedBy());
        Jdbc.setInstant(ps, 7, a.requestedAt());
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
          keys.next();
          return keys.getLong(1);
        }
      }
    });
  }

  @Override
  public Optional<Approval> find(long id) {
    return Jdbc.tx(ds, "approval", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM ca_approval WHERE id = ?")) {
        ps.setLong(1, id);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
      }
    });
  }

  @Override
  public List<Approval> list(Approval.Status status, int limit) {
    return Jdbc.tx(ds, "approvals", c -> {
      String sql = "SELECT * FROM ca_approval"
          + (status == null ? "" : " WHERE status = ?") + " ORDER BY id DESC LIMIT ?";
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        if (status != null) {
          ps.setString(i++, status.code());
        }
        ps.setInt(i, limit);
        List<Approval> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(read(rs));
          }
        }
        return out;
      }
    });
  }

  @Override
  public boolean decide(long id, Approval.Status status, String by, Instant at, BigInteger serial,
      String reason) {
    return Jdbc.tx(ds, "approval decision", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE ca_approval SET status = ?, decided_by = ?, decided_at = ?, serial = ?,"
              + " reason = ? WHERE id = ? AND status = 'pending'")) {
        ps.setString(1, status.code());
        ps.setString(2, by);
        Jdbc.setInstant(ps, 3, at);
        ps.setString(4, serial == null ? null : serial.toString(16));
        ps.setString(5, reason);
        ps.setLong(6, id);
        return ps.executeUpdate() == 1;
      }
    });
  }

  private static Approval read(ResultSet rs) throws SQLException {
    String serial = rs.getString("serial");
    return new Approval(rs.getLong("id"), new CaId(rs.getString("ca_id")),
        rs.getString("profile"), Bytes.copyOf(rs.getBytes("csr_der")),
        Jdbc.intOrNull(rs, "validity_days"), rs.getString("subject"),
        rs.getString("requested_by"), Jdbc.instant(rs, "requested_at"),
        Approval.Status.ofCode(rs.getString("status")), rs.getString("decided_by"),
        Jdbc.instant(rs, "decided_at"), serial == null ? null : new BigInteger(serial, 16),
        rs.getString("reason"));
  }
}
