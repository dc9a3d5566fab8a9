package org.keyhaven.keyserver.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyIndex;
import org.keyhaven.keyserver.KeyIndex.IndexedUserId;
import org.keyhaven.keyserver.StoredKeyring;
import org.keyhaven.keyserver.openpgp.SksKeyHash;
import org.keyhaven.keyserver.store.Certification;
import org.keyhaven.keyserver.store.KeyringWrite;
import org.keyhaven.keyserver.store.ThirdPartySignature;

/** Writes one {@link KeyringWrite}: upsert of the key row, then its dependent rows replaced. */
final class KeyWriter {
  private KeyWriter() {}

  static void write(Connection c, KeyringWrite w) throws SQLException {
    StoredKeyring k = w.keyring();
    String fpr = k.fingerprint().hex();
    KeyIndex ix = k.index();
    int updated;
    try (PreparedStatement ps = c.prepareStatement("UPDATE ks_key SET key_id = ?, version = ?, "
        + "algorithm = ?, bits = ?, created_at = ?, expires_at = ?, revoked = ?, first_party = ?, "
        + "served = ?, first_seen = ?, updated_at = ?, sks_hash = ?, sks_hash_first_party = ? "
        + "WHERE fingerprint = ?")) {
      bindKey(ps, k, ix);
      ps.setString(14, fpr);
      updated = ps.executeUpdate();
    }
    if (updated == 0) {
      try (PreparedStatement ps = c.prepareStatement(INSERT_KEY_SQL)) {
        bindKey(ps, k, ix);
        ps.setString(14, fpr);
        ps.executeUpdate();
      }
    } else {
      for (String t : List.of("ks_key_ref", "ks_user_id")) {
        JdbcKeyserverStore.update(c, "DELETE FROM " + t + " WHERE key_fpr = ?", fpr);
      }
      JdbcKeyserverStore.update(c, "DELETE FROM ks_certification WHERE target_fpr = ?", fpr);
    }
    writeRefs(c, k.fingerprint(), ix);
    writeUserIds(c, fpr, ix);
    writeCertifications(c, w);
  }

  /** Inserts new keys with one prepared statement per table, batched across all keys. */
  static void insertAll(Connection c, List<KeyringWrite> writes) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(INSERT_KEY_SQL)) {
      for (KeyringWrite w : writes) {
        bindKey(ps, w.keyring(), w.keyring().index());
        ps.setString(14, w.keyring().fingerprint().hex());
        ps.addBatch();
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(REF_SQL)) {
      for (KeyringWrite w : writes) {
        addRefs(ps, w.keyring().fingerprint(), w.keyring().index());
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(UID_SQL)) {
      for (KeyringWrite w : writes) {
        addUserIds(ps, w.keyring().fingerprint().hex(), w.keyring().index());
      }
      ps.executeBatch();
    }
    try (PreparedStatement ps = c.prepareStatement(CERT_SQL)) {
      for (KeyringWrite w : writes) {
        addCertifications(ps, w);
      }
      ps.executeBatch();
    }
  }

  private static void bindKey(PreparedStatement ps, StoredKeyring k, KeyIndex ix)
      throws SQLException {
    ps.setLong(1, k.fingerprint().keyId().value());
    ps.setInt(2, ix.version());
    ps.setInt(3, ix.algorithm());
    ps.setInt(4, ix.bits());
    Jdbc.setTime(ps, 5, ix.created());
    Jdbc.setTime(ps, 6, ix.expires());
    ps.setBoolean(7, ix.revoked());
    byte[] firstParty = k.firstParty().toByteArray();
    byte[] served = k.served().toByteArray();
    ps.setBytes(8, firstParty);
    ps.setBytes(9, served);
    Jdbc.setTime(ps, 10, k.firstSeen());
    Jdbc.setTime(ps, 11, k.updated());
    String servedHash = SksKeyHash.of(served);
    ps.setString(12, servedHash);
    ps.setString(13, java.util.Arrays.equals(served, firstParty) ? servedHash
        : SksKeyHash.of(firstParty));
  }

  private static final String INSERT_KEY_SQL = "INSERT INTO ks_key (key_id, version, algorithm, "
      + "bits, created_at, expires_at, revoked, first_party, served, first_seen, updated_at, "
      + "sks_hash, sks_hash_first_party, fingerprint) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String REF_SQL = "INSERT INTO ks_key_ref (key_fpr, fingerprint, key_id, "
      + "short_id, is_primary) VALUES (?, ?, ?, ?, ?)";
  private static final String UID_SQL = "INSERT INTO ks_user_id (key_fpr, position, uid, "
      + "uid_lower, email, created_at, expires_at, revoked, attribute) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String CERT_SQL = "INSERT INTO ks_certification (target_fpr, "
      + "user_id_packet, user_id, issuer_fpr, issuer_key_id, sig_type, created_at, expires_at, "
      + "trust_depth, trust_amount, trust_regex, revocation, self_signed, verified, signature) "
      + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static void writeRefs(Connection c, Fingerprint primary, KeyIndex ix)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(REF_SQL)) {
      addRefs(ps, primary, ix);
      ps.executeBatch();
    }
  }

  private static void addRefs(PreparedStatement ps, Fingerprint primary, KeyIndex ix)
      throws SQLException {
    addRef(ps, primary, primary, true);
    for (Fingerprint s : ix.subkeys()) {
      if (!s.equals(primary)) {
        addRef(ps, primary, s, false);
      }
    }
  }

  private static void addRef(PreparedStatement ps, Fingerprint primary, Fingerprint f,
      boolean isPrimary) throws SQLException {
    ps.setString(1, primary.hex());
    ps.setString(2, f.hex());
    ps.setLong(3, f.keyId().value());
    ps.setLong(4, f.keyId().shortId());
    ps.setBoolean(5, isPrimary);
    ps.addBatch();
  }

  private static void writeUserIds(Connection c, String fpr, KeyIndex ix) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(UID_SQL)) {
      addUserIds(ps, fpr, ix);
      ps.executeBatch();
    }
  }

  private static void addUserIds(PreparedStatement ps, String fpr, KeyIndex ix)
      throws SQLException {
    {
      int pos = 0;
      for (IndexedUserId u : ix.userIds()) {
        ps.setString(1, fpr);
        ps.setInt(2, pos++);
        ps.setString(3, clip(u.text()));
        ps.setString(4, clip(u.text().toLowerCase(Locale.ROOT)));
        ps.setString(5, u.email() == null || u.email().length() > 320 ? null : u.email());
        Jdbc.setTime(ps, 6, u.created());
        Jdbc.setTime(ps, 7, u.expires());
        ps.setBoolean(8, u.revoked());
        ps.setBoolean(9, u.attribute());
        ps.addBatch();
      }
    }
  }

  private static void writeCertifications(Connection c, KeyringWrite w) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(CERT_SQL)) {
      addCertifications(ps, w);
      ps.executeBatch();
    }
  }

  private static void addCertifications(PreparedStatement ps, KeyringWrite w)
      throws SQLException {
    {
      for (Certification cert : w.selfCertifications()) {
        bindCert(ps, cert, cert.issuer().keyId().value(), true);
        ps.setBytes(2, new byte[0]);
        ps.setBytes(15, new byte[0]);
        ps.addBatch();
      }
      for (ThirdPartySignature t : w.thirdParty()) {
        Certification cert = t.certification();
        if (cert != null) {
          bindCert(ps, cert, t.issuerKeyId().value(), false);
        } else {
          // Held: the issuer is unknown; keep what identifies it and the signed user ID.
          ps.setString(1, t.target().hex());
          ps.setString(3, "");
          ps.setString(4, null);
          ps.setLong(5, t.issuerKeyId().value());
          ps.setInt(6, 0);
          Jdbc.setTime(ps, 7, t.created());
          Jdbc.setTime(ps, 8, null);
          ps.setInt(9, 0);
          ps.setInt(10, 0);
          ps.setString(11, null);
          ps.setBoolean(12, false);
          ps.setBoolean(13, false);
          ps.setBoolean(14, false);
        }
        ps.setBytes(2, t.userIdPacket().toByteArray());
        ps.setBytes(15, t.signaturePacket().toByteArray());
        ps.addBatch();
      }
    }
  }

  private static void bindCert(PreparedStatement ps, Certification cert, long issuerKeyId,
      boolean self) throws SQLException {
    ps.setString(1, cert.target().hex());
    ps.setString(3, clip(cert.userId()));
    ps.setString(4, cert.issuer().hex());
    ps.setLong(5, issuerKeyId);
    ps.setInt(6, cert.signatureType());
    Jdbc.setTime(ps, 7, cert.created());
    Jdbc.setTime(ps, 8, cert.expires());
    ps.setInt(9, cert.trustDepth());
    ps.setInt(10, cert.trustAmount());
    String re = cert.trustRegex();
    ps.setString(11, re == null || re.length() > 1024 ? null : re);
    ps.setBoolean(12, cert.revocation());
    ps.setBoolean(13, self);
    ps.setBoolean(14, true);
  }

  private static String clip(String s) {
    return s.length() > 4096 ? s.substring(0, 4096) : s;
  }
}
