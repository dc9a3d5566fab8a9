package org.keyhaven.ca.revocation.store.jdbc;

import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.time.Instant;
import javax.sql.DataSource;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.ocsp.ResponderLog;

/** {@link ResponderLog} over {@code ocsp_responder} (V20). */
public final class JdbcResponderLog implements ResponderLog {
  private final DataSource ds;

  public JdbcResponderLog(DataSource ds) {
    this.ds = ds;
  }

  @Override
  public void record(CaId ca, BigInteger serial, Instant notBefore, Instant notAfter,
      byte[] der) {
    Sql.tx(ds, "OCSP responder certificate", c -> {
      try (PreparedStatement ps = c.prepareStatement(
          "INSERT INTO ocsp_responder (serial, ca_id, not_before, not_after, der)"
              + " VALUES (?, ?, ?, ?, ?)")) {
        ps.setString(1, serial.toString(16));
        ps.setString(2, ca.value());
        Sql.setInstant(ps, 3, notBefore);
        Sql.setInstant(ps, 4, notAfter);
        ps.setBytes(5, der);
        return ps.executeUpdate();
      }
    });
  }
}
