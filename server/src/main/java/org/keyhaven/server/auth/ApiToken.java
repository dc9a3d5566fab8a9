package org.keyhaven.server.auth;

import java.time.Instant;

/** A stored API token's public facts; the secret is never kept, only its SHA-256. */
public record ApiToken(String name, Role role, Instant createdAt, Instant revokedAt) {
  public boolean active() {
    return revokedAt == null;
  }
}
