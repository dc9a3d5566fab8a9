package org.keyhaven.keyserver.wot;

import java.util.List;

/** The computed validity of one key and of each of its user IDs, plus the key's owner trust. */
public record KeyValidity(
    String fingerprint, Validity validity, OwnerTrust ownerTrust, List<UserIdValidity> userIds) {

  public KeyValidity {
    userIds = List.copyOf(userIds);
  }

  /** The validity of one user ID of the key. */
  public record UserIdValidity(String userId, Validity validity) {}
}
