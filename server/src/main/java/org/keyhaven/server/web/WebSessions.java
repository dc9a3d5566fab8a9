package org.keyhaven.server.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.sql.DataSource;
import org.keyhaven.common.Hex;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.auth.Actor;
import org.keyhaven.server.auth.Role;

/**
 * Admin console sessions stored in the database (any node can serve any request). A session is
 * valid only while the token it was opened with is still active.
 */
public final class WebSessions {
  public static final Duration LIFETIME = Duration.ofHours(8);
  private final DataSource dataSource;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public WebSessions(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** A logged-in session: who, and the CSRF token its forms must carry. */
  public record Session(Actor actor, String csrf) {}

  /** A new session's cookie value (shown to the browser once) and its data. */
  public record Opened(String cookieValue, Session session) {}

  public Opened open(Actor actor) {
    String cookie = randomToken();
    String csrf = randomToken();
    Instant now = clock.instant();
    try (Connection c = dataSource.getConnection();
        PreparedStatement del = c.prepareStatement("DELETE FROM web_session WHERE expires_at < ?");
        PreparedStatement ps = c.prepareStatement(
            "INSERT INTO web_session (id_hash, token_name, role, csrf, created_at, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")) {
      del.setTimestamp(1, Timestamp.from(now));
      del.executeUpdate();
      ps.setString(1, sha256(cookie));
      ps.setString(2, actor.name());
      ps.setString(3, actor.role().wireName());
      ps.setString(4, csrf);
      ps.setTimestamp(5, Timestamp.from(now));
      ps.setTimestamp(6, Timestamp.from(now.plus(LIFETIME)));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot store session");
    }
    return new Opened(cookie, new Session(actor, csrf));
  }

  public Optional<Session> find(String cookieValue) {
    if (cookieValue == null || cookieValue.length() > 100) {
      return Optional.empty();
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT s.token_name, s.role, s.csrf FROM web_session s"
                + " JOIN api_token t ON t.name = s.token_name AND t.revoked_at IS NULL"
                + " WHERE s.id_hash = ? AND s.expires_at > ?")) {
      ps.setString(1, sha256(cookieValue));
      ps.setTimestamp(2, Timestamp.from(clock.instant()));
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new Session(
            new Actor(rs.getString(1), Role.fromWire(rs.getString(2))), rs.getString(3)));
      }
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot read session");
    }
  }

  public void close(String cookieValue) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM web_session WHERE id_hash = ?")) {
      ps.setString(1, sha256(cookieValue));
      ps.executeUpdate();
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot delete session");
    }
  }

  private String randomToken() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  static String sha256(String s) {
    try {
      return Hex.encode(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time comparison of a submitted CSRF token with the session's. */
  public static boolean csrfMatches(Session s, String submitted) {
    return submitted != null && MessageDigest.isEqual(
        s.csrf().getBytes(StandardCharsets.US_ASCII), submitted.getBytes(StandardCharsets.US_ASCII));
  }
}
