package org.keyhaven.keyserver.hkp;

import java.util.Locale;
import org.keyhaven.common.PkiException;

/** The {@code op} of a {@code /pks/lookup} request (HKP draft §3.1.2). */
public enum HkpOp {
  GET("get"),
  INDEX("index"),
  VINDEX("vindex"),
  STATS("stats"),
  /** SKS: the key whose SKS hash ({@code openpgp.SksKeyHash}) is {@code search}. */
  HGET("hget");

  private final String wire;

  HkpOp(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  /** Parses an op; other {@code x-*} ops are UNSUPPORTED, anything else MALFORMED. */
  static HkpOp parse(String op) {
    String o = op.strip().toLowerCase(Locale.ROOT);
    for (HkpOp v : values()) {
      if (v.wire.equals(o) || ("x-" + v.wire).equals(o)) {
        return v;
      }
    }
    if (o.startsWith("x-")) {
      throw PkiException.unsupported("op=%s is not supported by this keyserver", clip(o));
    }
    throw PkiException.malformed("unknown op '%s'; use get, index, vindex, stats or hget", clip(o));
  }

  /**
   * The client's value as it may appear in an error detail: at most 64 characters, control
   * characters (a line break would split the one-line detail) shown as '?'. Found by fuzzing.
   */
  static String clip(String s) {
    String shown = s.length() > 64 ? s.substring(0, 64) + "…" : s;
    return shown.replaceAll("[\\p{Cntrl}\\u0080-\\u009f\\u2028\\u2029]", "?");
  }
}
