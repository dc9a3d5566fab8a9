package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.Objects;

/**
 * A user ID of a key with the state of its newest valid self-signature: when it was revoked by the
 * key owner and when the self-signature expires (either may be null: never).
 */
public record UserIdState(String userId, Instant revokedAt, Instant expiresAt) {

  public UserIdState {
    Objects.requireNonNull(userId, "userId");
  }

  public static UserIdState of(String userId) {
    return new UserIdState(userId, null, null);
  }

  public boolean isRevokedAt(Instant at) {
    return revokedAt != null && !revokedAt.isAfter(at);
  }

  public boolean isExpiredAt(Instant at) {
    return expiresAt != null && !expiresAt.isAfter(at);
  }
}
