package org.keyhaven.ca.store.jdbc;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.OutboxStore;
import org.keyhaven.common.Bytes;

/** {@link OutboxStore} on the {@code publication_outbox} table. */
public final class JdbcOutboxStore implements OutboxStore {
  private final DataSource ds;

  public JdbcOutboxStore(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public long append(PublicationEvent event) {
    return Jdbc.tx(ds, "outbox", c -> Jdbc.insertOutbox(c, event));
  }

  @Override
  public List<PublicationEvent> pending(int limit) {
    return query("SELECT * FROM publication_outbox WHERE published_at IS NULL ORDER BY id LIMIT ?",
        -1, limit);
  }

  @Override
  public List<PublicationEvent> after(long afterId, int limit) {
    return query("SELECT * FROM publication_outbox WHERE id > ? ORDER BY id LIMIT ?", afterId,
        limit);
  }

  @Override
  public long lastId() {
    return Jdbc.tx(ds, "outbox", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT COALESCE(MAX(id), 0) FROM publication_outbox");
          ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private List<PublicationEvent> query(String sql, long afterId, int limit) {
    return Jdbc.tx(ds, "outbox", c -> {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        int i = 1;
        if (afterId >= 0) {
          ps.setLong(i++, afterId);
        }
        ps.setInt(i, limit);
        List<PublicationEvent> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            String emails = rs.getString("emails");
            out.add(new PublicationEvent(rs.getLong("id"),
                PublicationEvent.Kind.ofCode(rs.getString("kind")), rs.getString("ca_id"),
                rs.getString("serial"), rs.getString("subject"),
                emails.isEmpty() ? List.of() : Arrays.asList(emails.split(",")),
                Bytes.copyOf(rs.getBytes("der")), Jdbc.instant(rs, "created_at")));
          }
        }
        return out;
      }
    });
  }

  @Override
  public void markPublished(long id, Instant at) {
    Jdbc.tx(ds, "outbox", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE publication_outbox SET published_at = ? WHERE id = ?")) {
        Jdbc.setInstant(ps, 1, at);
        ps.setLong(2, id);
        return ps.executeUpdate();
      }
    });
  }

  @Override
  public void markFailed(long id, String error) {
    Jdbc.tx(ds, "outbox", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE publication_outbox SET attempts = attempts + 1, last_error = ? WHERE id = ?")) {
        ps.setString(1, error == null ? null : error.substring(0, Math.min(1000, error.length())));
        ps.setLong(2, id);
        return ps.executeUpdate();
      }
    });
  }
}
