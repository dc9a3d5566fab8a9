package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.List;

/**
 * Why a key has its validity: per user ID, which introducers counted at which depth (GnuPG counts
 * introducers, it does not pick a best path), and for each counted certification one chain of
 * certifications back to an ultimately trusted root.
 *
 * @param introducerDepth the depth at which this key introduced others, or -1 if it never did
 */
public record Explanation(
    String fingerprint,
    Validity validity,
    OwnerTrust ownerTrust,
    int introducerDepth,
    List<UserIdExplanation> userIds,
    List<Path> paths) {

  public Explanation {
    userIds = List.copyOf(userIds);
    paths = List.copyOf(paths);
  }

  /** The counts GnuPG stored for a user ID and the certifications that made them. */
  public record UserIdExplanation(
      String userId,
      Validity validity,
      int fullCount,
      int marginalCount,
      List<Contribution> contributions) {

    public UserIdExplanation {
      contributions = List.copyOf(contributions);
    }
  }

  /** An introducer's certification counted for a user ID at {@code depth}. */
  public record Contribution(
      String signer, OwnerTrust signerTrust, int depth, Instant certified) {}
}
