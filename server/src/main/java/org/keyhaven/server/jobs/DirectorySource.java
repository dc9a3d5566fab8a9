package org.keyhaven.server.jobs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.keyhaven.common.PkiException;

/**
 * Read-only queries of what the directory must show, straight from the tables the CA, revocation
 * and keyserver own (the database is the source of truth). The one place in the server that knows
 * those tables' shape for publication; reads only.
 */
public final class DirectorySource {
  private final DataSource ds;
  private final Clock clock;

  public DirectorySource(DataSource ds, Clock clock) {
    this.ds = ds;
    this.clock = clock;
  }

  /** One certificate with its mailboxes. */
  public record Cert(String serial, String caId, byte[] der, List<String> emails) {}

  /** A change of revocation status (revocation_event). */
  public record StatusChange(long id, String serial, String action) {}

  /** A stored CRL. */
  public record Crl(String caId, long number, String kind, byte[] der) {}

  /** An OpenPGP key as the keyserver serves it. */
  public record Key(String fingerprint, boolean revoked, byte[] served) {}

  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T read(Query<T> q) {
    try (Connection c = ds.getConnection()) {
      return q.run(c);
    } catch (SQLException e) {
      throw PkiException.unavailable("database unavailable: %s", e.getMessage());
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
  }

  /** Good, unexpired end-entity certificates with at least one mailbox. */
  public List<Cert> currentCertificates() {
    return certificates("c.status = 'good' AND c.not_after > ?", null);
  }

  /** Good, unexpired certificates of one mailbox (the HTTP lookup). */
  public List<Cert> currentCertificates(String mailbox) {
    return certificates("c.status = 'good' AND c.not_after > ? AND LOWER(e.email) = ?",
        mailbox.toLowerCase(java.util.Locale.ROOT));
  }

  private List<Cert> certificates(String where, String arg) {
    return read(c -> {
      Map<String, Cert> out = new LinkedHashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT c.serial, c.ca_id, c.der, e.email"
          + " FROM certificate c JOIN certificate_email e ON e.serial = c.serial WHERE " + where
          + " ORDER BY c.issued_at, c.serial")) {
        ps.setObject(1, now());
        if (arg != null) {
          ps.setString(2, arg);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Cert cert = out.computeIfAbsent(rs.getString(1), s -> {
              try {
                return new Cert(s, rs.getString(2), rs.getBytes(3), new ArrayList<>());
              } catch (SQLException e) {
                throw new IllegalStateException(e);
              }
            });
            cert.emails().add(rs.getString(4).toLowerCase(java.util.Locale.ROOT));
          }
        }
      }
      return new ArrayList<>(out.values());
    });
  }

  /** The DER of a certificate by serial (lower-case hex), or null. */
  public byte[] certificate(String serial) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT der FROM certificate WHERE serial = ?")) {
        ps.setString(1, serial);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getBytes(1) : null;
        }
      }
    });
  }

  /** Current status of a certificate ('good', 'revoked', 'hold'), or null. */
  public String status(String serial) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT status FROM certificate WHERE serial = ?")) {
        ps.setString(1, serial);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? rs.getString(1) : null;
        }
      }
    });
  }

  /** Every CA's certificate, parents first. */
  public List<byte[]> caCertificates() {
    return read(c -> {
      List<byte[]> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT cert_der FROM ca ORDER BY seq");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getBytes(1));
        }
      }
      return out;
    });
  }

  /** The newest full and delta CRL of every CA. */
  public List<Crl> latestCrls() {
    return read(c -> {
      List<Crl> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT l.ca_id, l.crl_number, l.kind, l.der"
          + " FROM crl l WHERE l.crl_number = (SELECT MAX(m.crl_number) FROM crl m"
          + " WHERE m.ca_id = l.ca_id AND m.kind = l.kind) ORDER BY l.ca_id, l.kind");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new Crl(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBytes(4)));
        }
      }
      return out;
    });
  }

  /** Revocation status changes after {@code afterId}, oldest first. */
  public List<StatusChange> statusChanges(long afterId, int limit) {
    return read(c -> {
      List<StatusChange> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT id, serial, action FROM"
          + " revocation_event WHERE id > ? ORDER BY id LIMIT ?")) {
        ps.setLong(1, afterId);
        ps.setInt(2, limit);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new StatusChange(rs.getLong(1), rs.getString(2), rs.getString(3)));
          }
        }
      }
      return out;
    });
  }

  public long lastStatusChangeId() {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COALESCE(MAX(id), 0) FROM revocation_event"); ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  /** Every OpenPGP key (fingerprints only). */
  public List<String> keyFingerprints() {
    return read(c -> {
      List<String> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint FROM ks_key");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1).toUpperCase(java.util.Locale.ROOT));
        }
      }
      return out;
    });
  }

  /** Keys changed after {@code after} (ks_key.updated_at), with the newest change time. */
  public record KeyChanges(List<String> fingerprints, java.time.Instant newest) {}

  public KeyChanges keysChangedAfter(java.time.Instant after) {
    return read(c -> {
      List<String> out = new ArrayList<>();
      java.time.Instant newest = after;
      try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, updated_at FROM ks_key"
          + " WHERE updated_at > ? ORDER BY updated_at LIMIT 500")) {
        ps.setObject(1, OffsetDateTime.ofInstant(after, ZoneOffset.UTC));
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(rs.getString(1).toUpperCase(java.util.Locale.ROOT));
            java.time.Instant t = rs.getObject(2, OffsetDateTime.class).toInstant();
            newest = t.isAfter(newest) ? t : newest;
          }
        }
      }
      return new KeyChanges(out, newest);
    });
  }

  /** One key as served, or null when it was removed. */
  public Key key(String fingerprint) {
    return read(c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT fingerprint, revoked, served FROM ks_key WHERE UPPER(fingerprint) = ?")) {
        ps.setString(1, fingerprint.toUpperCase(java.util.Locale.ROOT));
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? new Key(rs.getString(1), rs.getBoolean(2), rs.getBytes(3)) : null;
        }
      }
    });
  }
}
