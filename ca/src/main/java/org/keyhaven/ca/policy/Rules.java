package org.keyhaven.ca.policy;

import org.keyhaven.common.PkiException;

/** Rule names, as they appear in refusals ({@code rule <name>: …}) and in docs/CA.md. */
final class Rules {
  static final String KEY_STRENGTH = "high-assurance/key-strength";
  static final String SEPARATE_KEYS = "high-assurance/separate-keys";
  static final String CA_SUBORDINATION = "high-assurance/ca-subordination";
  static final String NAME_SUBORDINATION = "standard/name-subordination";
  static final String PSEUDONYMOUS = "persona/pseudonymous-subject";
  static final String PROFILE_NAMES = "profile-names";
  static final String PROFILE_EXTENSIONS = "profile-extensions";
  static final String KEY_SIZE = "key-size";

  private Rules() {}

  static PkiException refuse(String rule, String format, Object... args) {
    return PkiException.policy("rule " + rule + ": " + String.format(java.util.Locale.ROOT,
        format, args));
  }
}
