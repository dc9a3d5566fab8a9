package org.keyhaven.ca.hierarchy;

import java.util.Locale;
import org.keyhaven.common.PkiException;

/** The certificate policy a branch of the hierarchy guarantees; {@code NONE} for the root. */
public enum PolicyKind {
  NONE("none", 0),
  HIGH_ASSURANCE("high-assurance", 1),
  STANDARD("standard", 2),
  PERSONA("persona", 3);

  private final String wireName;
  private final int arcNumber;

  PolicyKind(String wireName, int arcNumber) {
    this.wireName = wireName;
    this.arcNumber = arcNumber;
  }

  public String wireName() {
    return wireName;
  }

  /** The last arc of the default policy OID of this kind. */
  public int arcNumber() {
    return arcNumber;
  }

  public static PolicyKind fromWire(String name) {
    if (name != null) {
      String n = name.toLowerCase(Locale.ROOT);
      for (PolicyKind k : values()) {
        if (k.wireName.equals(n)) {
          return k;
        }
      }
    }
    throw PkiException.malformed(
        "unknown policy '%s' (expected high-assurance, standard or persona)", name);
  }
}
