package org.keyhaven.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.Hex;
import org.keyhaven.common.PkiException;

/**
 * Creates, checks and revokes API tokens. Only the SHA-256 of a token is stored; the token itself
 * is shown once, at creation.
 */
public final class TokenService {
  /** Tokens are "kh_" plus 32 random bytes in unpadded base64url. */
  private static final String PREFIX = "kh_";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,99}");
  private final DataSource dataSource;
  private final Clock clock;
  private final AuditLog audit;
  private final SecureRandom random = new SecureRandom();
  /**
   * Recently verified tokens by digest, so that a burst of API calls costs one query. An entry
   * lives {@link #CACHE_TTL_MILLIS}; revoking on this node clears the cache at once, on other
   * nodes within that time (docs/SECURITY.md).
   */
  private final java.util.concurrent.ConcurrentHashMap<String, CachedActor> verified =
      new java.util.concurrent.ConcurrentHashMap<>();
  static final long CACHE_TTL_MILLIS = 5_000;

  private record CachedActor(Actor actor, long until) {}

  public TokenService(DataSource dataSource, Clock clock, AuditLog audit) {
    this.dataSource = dataSource;
    this.clock = clock;
    this.audit = audit;
  }

  /** A new token and its secret, which the caller must show once and forget. */
  public record IssuedToken(ApiToken token, String secret) {
    @Override
    public String toString() {
      return "IssuedToken[" + token + ", secret=***]";
    }
  }

  /** Creates a token; names are unique. */
  public IssuedToken create(String name, Role role, String actor) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw PkiException.malformed(
          "token name must be 1-100 characters of letters, digits, '.', '_', '@', '-'");
    }
    byte[] raw = new byte[32];
    random.nextBytes(raw);
    String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    var now = clock.instant();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO api_token (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)")) {
      ps.setString(1, name);
      ps.setString(2, role.wireName());
      ps.setString(3, sha256Hex(secret));
      ps.setTimestamp(4, Timestamp.from(now));
      ps.executeUpdate();
    } catch (SQLException e) {
      if ("23505".equals(e.getSQLState())) {
        throw PkiException.conflict("a token named '%s' already exists", name);
      }
      throw PkiException.internal(e, "cannot store token");
    }
    audit.record(actor, "token.create", name, AuditLog.SUCCESS, "role=" + role.wireName());
    return new IssuedToken(new ApiToken(name, role, now, null), secret);
  }

  /** The active token whose secret this is, if any. */
  public Optional<Actor> authenticate(String secret) {
    if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 200) {
      return Optional.empty();
    }
    String hash = sha256Hex(secret);
    CachedActor cached = verified.get(hash);
    long now = clock.millis();
    if (cached != null && cached.until() > now) {
      return Optional.of(cached.actor());
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT name, role, token_hash FROM api_token"
                    + " WHERE token_hash = ? AND revoked_at IS NULL")) {
      ps.setString(1, hash);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        // The index lookup found the row; compare the digests in constant time all the same.
        byte[] stored = rs.getString(3).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(stored, hash.getBytes(StandardCharsets.US_ASCII))) {
          return Optional.empty();
        }
        Actor actor = new Actor(rs.getString(1), Role.fromWire(rs.getString(2)));
        if (verified.size() > 10_000) {
          verified.clear();
        }
        verified.put(hash, new CachedActor(actor, now + CACHE_TTL_MILLIS));
        return Optional.of(actor);
      }
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot check token");
    }
  }

  public List<ApiToken> list() {
    List<ApiToken> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT name, role, created_at, revoked_at FROM api_token ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        Timestamp revoked = rs.getTimestamp(4);
        out.add(
            new ApiToken(
                rs.getString(1),
                Role.fromWire(rs.getString(2)),
                rs.getTimestamp(3).toInstant(),
                revoked == null ? null : revoked.toInstant()));
      }
      return out;
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot list tokens");
    }
  }

  /** Revokes the named token; revoking twice is a no-op conflict. */
  public void revoke(String name, String actor) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE api_token SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL")) {
      ps.setTimestamp(1, Timestamp.from(clock.instant()));
      ps.setString(2, name);
      verified.clear();
      int updated = ps.executeUpdate();
      verified.clear();
      if (updated == 0) {
        boolean exists = list().stream().anyMatch(t -> t.name().equals(name));
        throw exists
            ? PkiException.conflict("token '%s' is already revoked", name)
            : PkiException.notFound("no token named '%s'", name);
      }
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot revoke token");
    }
    audit.record(actor, "token.revoke", name, AuditLog.SUCCESS, null);
  }

  /** True if no token was ever created (first start). */
  public boolean none() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM api_token");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1) == 0;
    } catch (SQLException e) {
      throw PkiException.internal(e, "cannot count tokens");
    }
  }

  static String sha256Hex(String s) {
    try {
      return Hex.encode(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
