package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A primary key in the network: fingerprint (upper-case hex), creation time, expiry and revocation
 * time of the primary key (null: never), whether it may certify, and its self-signed user IDs.
 */
public record Node(
    String fingerprint,
    Instant created,
    Instant expiresAt,
    Instant revokedAt,
    boolean canCertify,
    List<UserIdState> userIds) {

  public Node {
    Objects.requireNonNull(fingerprint, "fingerprint");
    Objects.requireNonNull(created, "created");
    userIds = List.copyOf(userIds);
  }

  /** A live, certify-capable key with plain user IDs (for tests and simple adapters). */
  public static Node of(String fingerprint, Instant created, String... userIds) {
    return new Node(
        fingerprint,
        created,
        null,
        null,
        true,
        java.util.Arrays.stream(userIds).map(UserIdState::of).toList());
  }

  public boolean isRevokedAt(Instant at) {
    return revokedAt != null && !revokedAt.isAfter(at);
  }

  public boolean isExpiredAt(Instant at) {
    return expiresAt != null && !expiresAt.isAfter(at);
  }
}
