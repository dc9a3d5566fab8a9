package org.keyhaven.keyserver.wot;

import java.util.Map;

/**
 * Port for the server-wide trust root: the owner-trust assignments an administrator set. Keys
 * are normalised fingerprints; a key absent from the map has unknown owner trust.
 */
public interface TrustRootStore {

  /** The current assignments (empty when none were ever set). */
  Map<String, OwnerTrust> load();

  /** Replaces every assignment at once (one transaction), recording who did it. */
  void replace(Map<String, OwnerTrust> assignments, String actor);
}
