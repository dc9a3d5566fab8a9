package org.keyhaven.keyserver.wot;

import java.util.List;
import java.util.Map;

/**
 * The answer to a {@link WotQuery}: the parameters used, the validity of each requested key, the
 * requested fingerprints the network does not hold, and GnuPG's per-depth summary.
 */
public record WotEvaluation(
    WotParameters parameters,
    Map<String, KeyValidity> keys,
    List<String> unknownKeys,
    List<DepthStats> depthStats) {

  public WotEvaluation {
    keys = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keys));
    unknownKeys = List.copyOf(unknownKeys);
    depthStats = List.copyOf(depthStats);
  }
}
