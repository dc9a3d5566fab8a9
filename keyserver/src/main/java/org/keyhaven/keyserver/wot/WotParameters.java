package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.Objects;
import org.keyhaven.common.PkiException;

/**
 * The knobs of GnuPG's classic model with GnuPG's ranges: {@code --completes-needed} (≥ 1, default
 * 1), {@code --marginals-needed} (≥ 2, default 3), {@code --max-cert-depth} (1–255, default 5),
 * {@code --min-cert-level} (1–3, default 2), and the evaluation time.
 */
public record WotParameters(
    int completesNeeded, int marginalsNeeded, int maxDepth, int minCertLevel, Instant at) {

  public WotParameters {
    Objects.requireNonNull(at, "at");
    if (completesNeeded < 1 || completesNeeded > 255) {
      throw PkiException.malformed("completesNeeded must be 1..255, got %d", completesNeeded);
    }
    if (marginalsNeeded < 2 || marginalsNeeded > 255) {
      throw PkiException.malformed("marginalsNeeded must be 2..255, got %d", marginalsNeeded);
    }
    if (maxDepth < 1 || maxDepth > 255) {
      throw PkiException.malformed("maxDepth must be 1..255, got %d", maxDepth);
    }
    if (minCertLevel < 1 || minCertLevel > 3) {
      throw PkiException.malformed("minCertLevel must be 1..3, got %d", minCertLevel);
    }
  }

  /** GnuPG's defaults (1, 3, 5, 2) evaluated at {@code at}. */
  public static WotParameters defaults(Instant at) {
    return new WotParameters(1, 3, 5, 2, at);
  }

  public WotParameters withAt(Instant newAt) {
    return new WotParameters(completesNeeded, marginalsNeeded, maxDepth, minCertLevel, newAt);
  }
}
