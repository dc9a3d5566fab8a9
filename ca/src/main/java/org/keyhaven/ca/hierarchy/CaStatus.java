package org.keyhaven.ca.hierarchy;

/** Whether a CA may issue. */
public enum CaStatus {
  ACTIVE("active"),
  DISABLED("disabled");

  private final String wireName;

  CaStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static CaStatus fromWire(String s) {
    for (CaStatus v : values()) {
      if (v.wireName.equals(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown CA status " + s);
  }
}
