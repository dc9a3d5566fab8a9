package org.keyhaven.keyserver.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.keyhaven.common.Bytes;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyId;
import org.keyhaven.keyserver.KeyIndex;
import org.keyhaven.keyserver.KeyIndex.IndexedUserId;
import org.keyhaven.keyserver.KeyQuery;
import org.keyhaven.keyserver.StoredKeyring;
import org.keyhaven.keyserver.store.Certification;
import org.keyhaven.keyserver.store.CertificationStore;
import org.keyhaven.keyserver.store.KeyStatus;
import org.keyhaven.keyserver.store.KeyringStore;
import org.keyhaven.keyserver.store.KeyringWrite;
import org.keyhaven.keyserver.store.ThirdPartySignature;

/** {@link KeyringStore} and {@link CertificationStore} over the V30 tables. */
public final class JdbcKeyserverStore implements KeyringStore, CertificationStore {
  private static final String CERT_COLS = "target_fpr, user_id_packet, user_id, issuer_fpr, "
      + "issuer_key_id, sig_type, created_at, expires_at, trust_depth, trust_amount, trust_regex, "
      + "revocation, self_signed, verified, signature";

  private final Jdbc jdbc;

  public JdbcKeyserverStore(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  @Override
  public Optional<StoredKeyring> find(Fingerprint primary) {
    return jdbc.read("find key", c -> load(c, primary.hex()));
  }

  @Override
  public List<StoredKeyring> search(KeyQuery q, int limit) {
    String sql;
    Object arg;
    if (q instanceof KeyQuery.ByFingerprint f) {
      sql = "SELECT key_fpr FROM ks_key_ref WHERE fingerprint = ?";
      arg = f.fingerprint().hex();
    } else if (q instanceof KeyQuery.ByKeyId k) {
      sql = "SELECT key_fpr FROM ks_key_ref WHERE key_id = ?";
      arg = k.keyId().value();
    } else if (q instanceof KeyQuery.ByShortKeyId s) {
      sql = "SELECT key_fpr FROM ks_key_ref WHERE short_id = ?";
      arg = s.shortId();
    } else if (q instanceof KeyQuery.ByHash h) {
      sql = h.firstPartyForm() ? "SELECT fingerprint FROM ks_key WHERE sks_hash_first_party = ?"
          : "SELECT fingerprint FROM ks_key WHERE sks_hash = ?";
      arg = h.hash();
    } else if (q instanceof KeyQuery.ByEmail e) {
      sql = "SELECT key_fpr FROM ks_user_id WHERE email = ?";
      arg = e.email();
    } else {
      KeyQuery.ByUserId u = (KeyQuery.ByUserId) q;
      String lower = u.text().toLowerCase(Locale.ROOT);
      if (u.exact()) {
        sql = "SELECT key_fpr FROM ks_user_id WHERE uid_lower = ?";
        arg = lower;
      } else {
        sql = "SELECT key_fpr FROM ks_user_id WHERE uid_lower LIKE ? ESCAPE '!'";
        arg = "%" + lower.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%";
      }
    }
    // No DISTINCT/ORDER BY in SQL: H2 would then walk the primary key instead of the lookup
    // index. Rows per key are few, so the limit is applied to rows and keys are de-duplicated
    // and ordered here.
    String full = sql + " LIMIT ?";
    return jdbc.read("search keys", c -> {
      java.util.SortedSet<String> fprs = new java.util.TreeSet<>();
      try (PreparedStatement ps = c.prepareStatement(full)) {
        ps.setObject(1, arg);
        ps.setInt(2, limit * 4);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            fprs.add(rs.getString(1));
          }
        }
      }
      List<StoredKeyring> out = new ArrayList<>();
      for (String f : fprs) {
        if (out.size() < limit) {
          load(c, f).ifPresent(out::add);
        }
      }
      return out;
    });
  }

  /**
   * Addresses or keys per query of the bulk reads. H2 checks each row found through the index
   * against the whole IN list of parameters, one by one, so the cost grows with the square of the
   * list: 500 made a 1,000-address batch slower than 1,000 single lookups (profile).
   */
  static final int PER_QUERY = 50;

  @Override
  public java.util.Map<String, List<StoredKeyring>> searchByEmails(
      java.util.Collection<String> emails, int limit) {
    List<String> wanted = emails.stream().map(e -> new KeyQuery.ByEmail(e).email()).distinct()
        .toList();
    java.util.Map<String, List<StoredKeyring>> out = new java.util.LinkedHashMap<>();
    for (int from = 0; from < wanted.size(); from += PER_QUERY) {
      List<String> chunk = wanted.subList(from, Math.min(wanted.size(), from + PER_QUERY));
      out.putAll(jdbc.read("search keys by e-mail", c -> searchByEmails(c, chunk, limit)));
    }
    return out;
  }

  private java.util.Map<String, List<StoredKeyring>> searchByEmails(Connection c,
      List<String> emails, int limit) throws SQLException {
    java.util.Map<String, java.util.SortedSet<String>> fprsOf = new java.util.HashMap<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT email, key_fpr FROM ks_user_id"
        + " WHERE email IN (" + marks(emails.size()) + ")")) {
      for (int i = 0; i < emails.size(); i++) {
        ps.setString(i + 1, emails.get(i));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          fprsOf.computeIfAbsent(rs.getString(1), k -> new java.util.TreeSet<>())
              .add(rs.getString(2));
        }
      }
    }
    // As search(): the first 'limit' keys per address in fingerprint order.
    java.util.Set<String> needed = new java.util.TreeSet<>();
    fprsOf.replaceAll((e, fprs) -> new java.util.TreeSet<>(fprs.stream().limit(limit).toList()));
    fprsOf.values().forEach(needed::addAll);
    java.util.Map<String, StoredKeyring> loaded = loadAll(c, List.copyOf(needed));
    java.util.Map<String, List<StoredKeyring>> out = new java.util.LinkedHashMap<>();
    for (String e : emails) {
      java.util.SortedSet<String> fprs = fprsOf.get(e);
      if (fprs != null) {
        List<StoredKeyring> keys = fprs.stream().map(loaded::get)
            .filter(java.util.Objects::nonNull).toList();
        if (!keys.isEmpty()) {
          out.put(e, keys);
        }
      }
    }
    return out;
  }

  /** {@link #load} for many keys: three queries per {@value #PER_QUERY} keys. */
  private java.util.Map<String, StoredKeyring> loadAll(Connection c, List<String> fprs)
      throws SQLException {
    java.util.Map<String, StoredKeyring> out = new java.util.HashMap<>();
    for (int from = 0; from < fprs.size(); from += PER_QUERY) {
      List<String> chunk = fprs.subList(from, Math.min(fprs.size(), from + PER_QUERY));
      java.util.Map<String, KeyRow> rows = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT version, algorithm, bits, "
          + "created_at, expires_at, revoked, first_party, served, first_seen, updated_at, "
          + "fingerprint FROM ks_key WHERE fingerprint IN (" + marks(chunk.size()) + ")")) {
        bind(ps, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.put(rs.getString(11), new KeyRow(rs.getInt(1), rs.getInt(2), rs.getInt(3),
                Jdbc.time(rs, "created_at"), Jdbc.time(rs, "expires_at"), rs.getBoolean(6),
                rs.getBytes(7), rs.getBytes(8), Jdbc.time(rs, "first_seen"),
                Jdbc.time(rs, "updated_at")));
          }
        }
      }
      java.util.Map<String, List<IndexedUserId>> uids = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT key_fpr, uid, email, created_at, "
          + "expires_at, revoked, attribute FROM ks_user_id WHERE key_fpr IN ("
          + marks(chunk.size()) + ") ORDER BY key_fpr, position")) {
        bind(ps, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            uids.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new IndexedUserId(
                rs.getString(2), rs.getString(3), Jdbc.time(rs, "created_at"),
                Jdbc.time(rs, "expires_at"), rs.getBoolean(6), rs.getBoolean(7)));
          }
        }
      }
      java.util.Map<String, List<Fingerprint>> subs = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT key_fpr, fingerprint FROM ks_key_ref"
          + " WHERE key_fpr IN (" + marks(chunk.size()) + ") AND NOT is_primary"
          + " ORDER BY key_fpr, fingerprint")) {
        bind(ps, chunk);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            subs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                .add(Fingerprint.parse(rs.getString(2)));
          }
        }
      }
      for (var e : rows.entrySet()) {
        KeyRow row = e.getValue();
        KeyIndex index = new KeyIndex(row.version, row.algorithm, row.bits, row.created,
            row.expires, row.revoked, uids.getOrDefault(e.getKey(), List.of()),
            subs.getOrDefault(e.getKey(), List.of()));
        out.put(e.getKey(), new StoredKeyring(Fingerprint.parse(e.getKey()), index,
            Bytes.copyOf(row.firstParty), Bytes.copyOf(row.served), row.firstSeen, row.updated));
      }
    }
    return out;
  }

  private static String marks(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  private static void bind(PreparedStatement ps, List<String> values) throws SQLException {
    for (int i = 0; i < values.size(); i++) {
      ps.setString(i + 1, values.get(i));
    }
  }

  @Override
  public List<StoredKeyring> findPrimaryByKeyId(KeyId keyId) {
    return jdbc.read("find key by ID", c -> {
      List<StoredKeyring> out = new ArrayList<>();
      for (String f : new java.util.TreeSet<>(strings(c,
          "SELECT key_fpr FROM ks_key_ref WHERE key_id = ? AND is_primary", keyId.value()))) {
        load(c, f).ifPresent(out::add);
      }
      return out;
    });
  }

  private Optional<StoredKeyring> load(Connection c, String fpr) throws SQLException {
    KeyRow row;
    try (PreparedStatement ps = c.prepareStatement("SELECT version, algorithm, bits, created_at, "
        + "expires_at, revoked, first_party, served, first_seen, updated_at FROM ks_key "
        + "WHERE fingerprint = ?")) {
      ps.setString(1, fpr);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        row = new KeyRow(rs.getInt(1), rs.getInt(2), rs.getInt(3), Jdbc.time(rs, "created_at"),
            Jdbc.time(rs, "expires_at"), rs.getBoolean(6), rs.getBytes(7), rs.getBytes(8),
            Jdbc.time(rs, "first_seen"), Jdbc.time(rs, "updated_at"));
      }
    }
    List<IndexedUserId> uids = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT uid, email, created_at, expires_at, "
        + "revoked, attribute FROM ks_user_id WHERE key_fpr = ? ORDER BY position")) {
      ps.setString(1, fpr);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          uids.add(new IndexedUserId(rs.getString(1), rs.getString(2),
              Jdbc.time(rs, "created_at"), Jdbc.time(rs, "expires_at"), rs.getBoolean(5),
              rs.getBoolean(6)));
        }
      }
    }
    List<Fingerprint> subs = new ArrayList<>();
    for (String s : strings(c, "SELECT fingerprint FROM ks_key_ref WHERE key_fpr = ? AND NOT "
        + "is_primary ORDER BY fingerprint", fpr)) {
      subs.add(Fingerprint.parse(s));
    }
    KeyIndex index = new KeyIndex(row.version, row.algorithm, row.bits, row.created, row.expires,
        row.revoked, uids, subs);
    return Optional.of(new StoredKeyring(Fingerprint.parse(fpr), index,
        Bytes.copyOf(row.firstParty), Bytes.copyOf(row.served), row.firstSeen, row.updated));
  }

  private record KeyRow(int version, int algorithm, int bits, Instant created, Instant expires,
      boolean revoked, byte[] firstParty, byte[] served, Instant firstSeen, Instant updated) {}

  @Override
  public List<ThirdPartySignature> thirdPartyOn(Fingerprint target) {
    return jdbc.read("read third-party signatures", c -> {
      List<ThirdPartySignature> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CERT_COLS
          + " FROM ks_certification WHERE target_fpr = ? AND NOT self_signed")) {
        ps.setString(1, target.hex());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Certification cert = rs.getBoolean("verified") ? certification(rs) : null;
            out.add(new ThirdPartySignature(target, Bytes.copyOf(rs.getBytes("user_id_packet")),
                Bytes.copyOf(rs.getBytes("signature")), new KeyId(rs.getLong("issuer_key_id")),
                Jdbc.time(rs, "created_at"), cert));
          }
        }
      }
      return out;
    });
  }

  @Override
  public List<Fingerprint> targetsHoldingSignaturesBy(KeyId issuer) {
    return jdbc.read("find held signatures", c -> new java.util.TreeSet<>(strings(c,
        "SELECT target_fpr FROM ks_certification WHERE issuer_key_id = ? AND NOT verified",
        issuer.value())).stream().map(Fingerprint::parse).toList());
  }

  @Override
  public void save(KeyringWrite write) {
    saveAll(List.of(write));
  }

  /**
   * Computes the SKS hashes of keys stored before they existed (db-migrations V31), 500 keys per
   * transaction; returns how many rows it filled. Idempotent and cheap when nothing is missing.
   */
  public int fillMissingSksHashes() {
    int filled = 0;
    while (true) {
      int n = jdbc.tx("fill SKS hashes", c -> {
        List<Object[]> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, first_party, served "
            + "FROM ks_key WHERE sks_hash IS NULL OR sks_hash_first_party IS NULL LIMIT 500");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            rows.add(new Object[] {rs.getString(1), rs.getBytes(2), rs.getBytes(3)});
          }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE ks_key SET sks_hash = ?, "
            + "sks_hash_first_party = ? WHERE fingerprint = ?")) {
          for (Object[] r : rows) {
            ps.setString(1, org.keyhaven.keyserver.openpgp.SksKeyHash.of((byte[]) r[2]));
            ps.setString(2, org.keyhaven.keyserver.openpgp.SksKeyHash.of((byte[]) r[1]));
            ps.setString(3, (String) r[0]);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        return rows.size();
      });
      filled += n;
      if (n < 500) {
        return filled;
      }
    }
  }

  @Override
  public void saveAll(List<KeyringWrite> writes) {
    jdbc.tx("save keys", c -> {
      for (KeyringWrite w : writes) {
        KeyWriter.write(c, w);
      }
      return null;
    });
  }

  @Override
  public void insertAll(List<KeyringWrite> writes) {
    if (!writes.isEmpty()) {
      jdbc.tx("insert keys", c -> {
        KeyWriter.insertAll(c, writes);
        return null;
      });
    }
  }

  @Override
  public java.util.Set<Fingerprint> storedAmong(java.util.Collection<Fingerprint> keys) {
    return among("SELECT fingerprint FROM ks_key WHERE fingerprint IN ", keys);
  }

  @Override
  public java.util.Set<Fingerprint> blockedAmong(java.util.Collection<Fingerprint> keys) {
    return among("SELECT fingerprint FROM ks_blocked WHERE fingerprint IN ", keys);
  }

  private java.util.Set<Fingerprint> among(String sqlPrefix, java.util.Collection<Fingerprint> keys) {
    java.util.Set<Fingerprint> out = new java.util.HashSet<>();
    List<Fingerprint> all = new ArrayList<>(keys);
    for (int from = 0; from < all.size(); from += 500) {
      List<Fingerprint> part = all.subList(from, Math.min(all.size(), from + 500));
      String sql = sqlPrefix + "(" + String.join(",", java.util.Collections.nCopies(part.size(),
          "?")) + ")";
      jdbc.read("find keys", c -> {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          for (int i = 0; i < part.size(); i++) {
            ps.setString(i + 1, part.get(i).hex());
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(Fingerprint.parse(rs.getString(1)));
            }
          }
        }
        return null;
      });
    }
    return out;
  }

  @Override
  public boolean hasHeldSignatures() {
    return jdbc.read("find held signatures", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT 1 FROM ks_certification WHERE NOT verified LIMIT 1");
          ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    });
  }

  @Override
  public boolean delete(Fingerprint primary) {
    return jdbc.tx("delete key", c -> update(c, "DELETE FROM ks_key WHERE fingerprint = ?",
        primary.hex()) > 0);
  }

  @Override
  public void block(Fingerprint primary, String reason, String actor, Instant at) {
    jdbc.tx("block key", c -> {
      update(c, "DELETE FROM ks_blocked WHERE fingerprint = ?", primary.hex());
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO ks_blocked (fingerprint, reason, actor, blocked_at) VALUES (?, ?, ?, ?)")) {
        ps.setString(1, primary.hex());
        ps.setString(2, reason);
        ps.setString(3, actor);
        Jdbc.setTime(ps, 4, at);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public boolean unblock(Fingerprint primary) {
    return jdbc.tx("unblock key", c -> update(c, "DELETE FROM ks_blocked WHERE fingerprint = ?",
        primary.hex()) > 0);
  }

  @Override
  public Optional<String> blockReason(Fingerprint primary) {
    return jdbc.read("read block", c -> strings(c,
        "SELECT reason FROM ks_blocked WHERE fingerprint = ?", primary.hex()).stream()
        .findFirst());
  }

  @Override
  public long count() {
    return jdbc.read("count keys", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM ks_key");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  @Override
  public void forEach(Consumer<StoredKeyring> sink) {
    String after = "";
    while (true) {
      String from = after;
      List<StoredKeyring> page = jdbc.read("list keys", c -> {
        List<StoredKeyring> out = new ArrayList<>();
        for (String f : strings(c, "SELECT fingerprint FROM ks_key WHERE fingerprint > ? "
            + "ORDER BY fingerprint LIMIT 500", from)) {
          load(c, f).ifPresent(out::add);
        }
        return out;
      });
      if (page.isEmpty()) {
        return;
      }
      page.forEach(sink);
      after = page.get(page.size() - 1).fingerprint().hex();
    }
  }

  @Override
  public OptionalLong importProgress(String source) {
    return jdbc.read("read import progress", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT keys_done FROM ks_import_progress WHERE source = ?")) {
        ps.setString(1, source);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
        }
      }
    });
  }

  @Override
  public void recordImportProgress(String source, long keysDone, Instant at) {
    jdbc.tx("record import progress", c -> {
      update(c, "DELETE FROM ks_import_progress WHERE source = ?", source);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO ks_import_progress (source, "
          + "keys_done, updated_at) VALUES (?, ?, ?)")) {
        ps.setString(1, source);
        ps.setLong(2, keysDone);
        Jdbc.setTime(ps, 3, at);
        ps.executeUpdate();
      }
      return null;
    });
  }

  // ---- CertificationStore

  @Override
  public List<Certification> certificationsOn(Fingerprint target) {
    return certifications("target_fpr", target);
  }

  @Override
  public List<Certification> certificationsBy(Fingerprint issuer) {
    return certifications("issuer_fpr", issuer);
  }

  private List<Certification> certifications(String column, Fingerprint f) {
    return jdbc.read("read certifications", c -> {
      List<Certification> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CERT_COLS
          + " FROM ks_certification WHERE " + column + " = ? AND verified")) {
        ps.setString(1, f.hex());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(certification(rs));
          }
        }
      }
      return out;
    });
  }

  @Override
  public void forEachCertification(Consumer<Certification> sink) {
    jdbc.read("stream certifications", c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT " + CERT_COLS
          + " FROM ks_certification WHERE verified")) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            sink.accept(certification(rs));
          }
        }
      }
      return null;
    });
  }

  @Override
  public Optional<KeyStatus> keyStatus(Fingerprint key) {
    return find(key).map(k -> new KeyStatus(k.fingerprint(), k.index().created(),
        k.index().expires(), k.index().revoked(),
        k.index().userIds().stream().map(IndexedUserId::text).toList()));
  }

  @Override
  public java.util.Map<Fingerprint, KeyStatus> keyStatuses(
      java.util.Collection<Fingerprint> keys) {
    List<String> fprs = keys.stream().map(Fingerprint::hex).distinct().toList();
    java.util.Map<Fingerprint, KeyStatus> out = new java.util.HashMap<>();
    if (fprs.size() > SCAN_ABOVE) {
      return scanKeyStatuses(new java.util.HashSet<>(fprs));
    }
    for (int from = 0; from < fprs.size(); from += PER_QUERY) {
      List<String> chunk = fprs.subList(from, Math.min(fprs.size(), from + PER_QUERY));
      jdbc.read("read key statuses", c -> {
        java.util.Map<String, List<String>> uids = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT key_fpr, uid FROM ks_user_id"
            + " WHERE key_fpr IN (" + marks(chunk.size()) + ") ORDER BY key_fpr, position")) {
          bind(ps, chunk);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              uids.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT fingerprint, created_at,"
            + " expires_at, revoked FROM ks_key WHERE fingerprint IN (" + marks(chunk.size())
            + ")")) {
          bind(ps, chunk);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              Fingerprint f = Fingerprint.parse(rs.getString(1));
              out.put(f, new KeyStatus(f, Jdbc.time(rs, "created_at"),
                  Jdbc.time(rs, "expires_at"), rs.getBoolean(4),
                  uids.getOrDefault(rs.getString(1), List.of())));
            }
          }
        }
        return null;
      });
    }
    return out;
  }

  /** Above this many keys {@link #keyStatuses} reads both tables whole: two scans beat IN lists. */
  static final int SCAN_ABOVE = 5_000;

  java.util.Map<Fingerprint, KeyStatus> scanKeyStatuses(java.util.Set<String> wanted) {
    return jdbc.read("scan key statuses", c -> {
      java.util.Map<String, List<String>> uids = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT key_fpr, uid FROM ks_user_id ORDER BY key_fpr, position")) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (wanted.contains(rs.getString(1))) {
              uids.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getString(2));
            }
          }
        }
      }
      java.util.Map<Fingerprint, KeyStatus> out = new java.util.HashMap<>();
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT fingerprint, created_at, expires_at, revoked FROM ks_key")) {
        ps.setFetchSize(1000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            if (wanted.contains(rs.getString(1))) {
              Fingerprint f = Fingerprint.parse(rs.getString(1));
              out.put(f, new KeyStatus(f, Jdbc.time(rs, "created_at"),
                  Jdbc.time(rs, "expires_at"), rs.getBoolean(4),
                  uids.getOrDefault(rs.getString(1), List.of())));
            }
          }
        }
      }
      return out;
    });
  }

  private static Certification certification(ResultSet rs) throws SQLException {
    return new Certification(Fingerprint.parse(rs.getString("issuer_fpr")),
        Fingerprint.parse(rs.getString("target_fpr")), rs.getString("user_id"),
        Jdbc.time(rs, "created_at"), rs.getInt("sig_type"), rs.getInt("trust_depth"),
        rs.getInt("trust_amount"), rs.getString("trust_regex"), Jdbc.time(rs, "expires_at"),
        rs.getBoolean("revocation"));
  }

  static int update(Connection c, String sql, Object arg) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, arg);
      return ps.executeUpdate();
    }
  }

  private static List<String> strings(Connection c, String sql, Object arg) throws SQLException {
    List<String> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, arg);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
    }
    return out;
  }
}
