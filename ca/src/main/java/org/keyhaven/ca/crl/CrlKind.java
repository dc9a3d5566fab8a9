package org.keyhaven.ca.crl;

/** A complete CRL or a delta CRL (RFC 5280 §5.2.4), with its stored code. */
public enum CrlKind {
  FULL("full"),
  DELTA("delta");

  private final String code;

  CrlKind(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static CrlKind ofCode(String code) {
    return "delta".equals(code) ? DELTA : FULL;
  }
}
