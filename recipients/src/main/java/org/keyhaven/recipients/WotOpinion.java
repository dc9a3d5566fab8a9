package org.keyhaven.recipients;

/**
 * The web of trust's view of a user ID from the server's configured trust roots. Decoupled from
 * the keyserver's WoT service so that lookups can be tested with fixed answers.
 */
@FunctionalInterface
public interface WotOpinion {
  /**
   * Validity of {@code userId} on the key {@code fingerprint} (upper-case hex): one of ultimate,
   * full, marginal, undefined, unknown, never, expired, revoked.
   */
  String validity(String fingerprint, String userId);

  /** Validities that let the server stand behind a key. */
  static boolean trusted(String validity) {
    return "full".equals(validity) || "ultimate".equals(validity);
  }
}
