package org.keyhaven.ca.store.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.CaStatus;
import org.keyhaven.ca.hierarchy.LinkedCertificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.keys.KeyAlgorithm;
import org.keyhaven.ca.keys.KeyReference;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.CaStore;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.Hex;

/** {@link CaStore} on the {@code ca} table. */
public final class JdbcCaStore implements CaStore {
  private final DataSource ds;

  public JdbcCaStore(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public void insert(CaNode n, IssuedCertificate cert, PublicationEvent event) {
    Jdbc.tx(ds, "CA " + n.id(), c -> {
      insertRow(c, n);
      JdbcCertificateStore.insert(c, cert);
      Jdbc.insertOutbox(c, event);
      return null;
    });
  }

  @Override
  public void insertImported(CaNode n, List<LinkedCertificate> linked, PublicationEvent event) {
    Jdbc.tx(ds, "CA " + n.id(), c -> {
      insertRow(c, n);
      insertLinks(c, linked, event.createdAt());
      Jdbc.insertOutbox(c, event);
      return null;
    });
  }

  @Override
  public void link(List<LinkedCertificate> linked) {
    Jdbc.tx(ds, "linked certificate", c -> {
      insertLinks(c, linked, Instant.now());
      return null;
    });
  }

  private static void insertLinks(Connection c, List<LinkedCertificate> linked, Instant at)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ca_linked_certificate (ca_id, kind, position, subject, issuer, fingerprint,"
            + " der, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (LinkedCertificate l : linked) {
        X509CertificateHolder h = l.holder();
        ps.setString(1, l.caId().value());
        ps.setString(2, l.kind().code());
        ps.setInt(3, l.position());
        ps.setString(4, h.getSubject().toString());
        ps.setString(5, h.getIssuer().toString());
        ps.setString(6, sha256(l.der()));
        ps.setBytes(7, l.der().toByteArray());
        Jdbc.setInstant(ps, 8, at);
        ps.executeUpdate();
      }
    }
  }

  private static String sha256(Bytes der) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(der.toByteArray()));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public List<LinkedCertificate> linked(CaId id) {
    return Jdbc.tx(ds, "linked certificates of " + id, c -> {
      List<LinkedCertificate> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT kind, position, der FROM"
          + " ca_linked_certificate WHERE ca_id = ? ORDER BY kind, position, id")) {
        ps.setString(1, id.value());
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new LinkedCertificate(id, LinkedCertificate.Kind.ofCode(rs.getString(1)),
                rs.getInt(2), Bytes.copyOf(rs.getBytes(3))));
          }
        }
      }
      return out;
    });
  }

  private static void insertRow(Connection c, CaNode n) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(
        "INSERT INTO ca (id, parent_id, policy_kind, policy_oid, path_length, subject, key_hash,"
            + " cert_der, key_algorithm, key_storage, key_blob, key_alias, status, created_at,"
            + " origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, n.id().value());
      ps.setString(2, n.parent().map(CaId::value).orElse(null));
      ps.setString(3, n.policy().wireName());
      ps.setString(4, n.policyOid());
      ps.setInt(5, n.pathLength());
      ps.setString(6, n.subject().toString());
      ps.setString(7, Hex.encode(n.keyHash().toByteArray()));
      ps.setBytes(8, n.certificate().toByteArray());
      ps.setString(9, n.key().algorithm().wireName());
      if (n.key() instanceof KeyReference.Software s) {
        ps.setString(10, "software");
        ps.setBytes(11, s.encryptedPkcs8().toByteArray());
        ps.setString(12, null);
      } else {
        ps.setString(10, "pkcs11");
        ps.setBytes(11, null);
        ps.setString(12, ((KeyReference.Token) n.key()).alias());
      }
      ps.setString(13, n.status().wireName());
      Jdbc.setInstant(ps, 14, n.createdAt());
      ps.setString(15, n.imported() ? "imported" : "created");
      ps.executeUpdate();
    }
  }

  @Override
  public Optional<CaNode> find(CaId id) {
    return all().stream().filter(n -> n.id().equals(id)).findFirst();
  }

  @Override
  public List<CaNode> all() {
    return Jdbc.tx(ds, "list CAs", c -> {
      List<CaNode> out = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT * FROM ca ORDER BY seq");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(read(rs));
        }
      }
      return out;
    });
  }

  private static CaNode read(ResultSet rs) throws SQLException {
    KeyAlgorithm alg = KeyAlgorithm.fromWire(rs.getString("key_algorithm"));
    KeyReference key = "software".equals(rs.getString("key_storage"))
        ? new KeyReference.Software(alg, Bytes.copyOf(rs.getBytes("key_blob")))
        : new KeyReference.Token(alg, rs.getString("key_alias"));
    String parent = rs.getString("parent_id");
    return new CaNode(new CaId(rs.getString("id")),
        parent == null ? Optional.empty() : Optional.of(new CaId(parent)),
        PolicyKind.fromWire(rs.getString("policy_kind")), rs.getString("policy_oid"),
        rs.getInt("path_length"), Bytes.copyOf(rs.getBytes("cert_der")),
        Bytes.copyOf(Hex.decode(rs.getString("key_hash"))), key,
        CaStatus.fromWire(rs.getString("status")), Jdbc.instant(rs, "created_at"),
        "imported".equals(rs.getString("origin")));
  }
}
