package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An evaluation request: the caller's owner-trust assignments (its own trust root), optional
 * parameters (null: GnuPG's defaults; {@code at} null: now) and optionally the keys to report
 * (null or empty: every key).
 */
public record WotQuery(
    Map<String, OwnerTrust> ownerTrust,
    Integer completesNeeded,
    Integer marginalsNeeded,
    Integer maxDepth,
    Integer minCertLevel,
    Instant at,
    List<String> keys) {

  public WotQuery {
    ownerTrust = ownerTrust == null ? Map.of() : Map.copyOf(ownerTrust);
    keys = keys == null ? List.of() : List.copyOf(keys);
  }

  /** Every key from {@code ownerTrust} with default parameters, now. */
  public static WotQuery of(Map<String, OwnerTrust> ownerTrust) {
    return new WotQuery(ownerTrust, null, null, null, null, null, null);
  }

  WotParameters parameters(Instant now) {
    return new WotParameters(
        completesNeeded == null ? 1 : completesNeeded,
        marginalsNeeded == null ? 3 : marginalsNeeded,
        maxDepth == null ? 5 : maxDepth,
        minCertLevel == null ? 2 : minCertLevel,
        at == null ? now : at);
  }
}
