package org.keyhaven.ca.revocation;

import org.keyhaven.common.PkiException;

/**
 * RFC 5280 §5.3.1 CRLReason with its wire code (7 is unused) and the name the RFC writes for it.
 */
public enum RevocationReason {
  UNSPECIFIED(0, "unspecified"),
  KEY_COMPROMISE(1, "keyCompromise"),
  CA_COMPROMISE(2, "cACompromise"),
  AFFILIATION_CHANGED(3, "affiliationChanged"),
  SUPERSEDED(4, "superseded"),
  CESSATION_OF_OPERATION(5, "cessationOfOperation"),
  CERTIFICATE_HOLD(6, "certificateHold"),
  REMOVE_FROM_CRL(8, "removeFromCRL"),
  PRIVILEGE_WITHDRAWN(9, "privilegeWithdrawn"),
  AA_COMPROMISE(10, "aACompromise");

  private final int code;
  private final String rfcName;

  RevocationReason(int code, String rfcName) {
    this.code = code;
    this.rfcName = rfcName;
  }

  public int code() {
    return code;
  }

  public String rfcName() {
    return rfcName;
  }

  /** Reasons the key holder may state in a self-service request (SBR §4.9.1.1 subscriber set). */
  public boolean isSubscriberReason() {
    return this == UNSPECIFIED || this == KEY_COMPROMISE || this == AFFILIATION_CHANGED
        || this == SUPERSEDED || this == CESSATION_OF_OPERATION;
  }

  public static RevocationReason ofCode(int code) {
    for (RevocationReason r : values()) {
      if (r.code == code) {
        return r;
      }
    }
    throw PkiException.malformed("unknown CRL reason code %d", code);
  }

  /** The RFC 5280 name as written there; removeFromCRL is a CRL-only code and refused here. */
  public static RevocationReason fromRfcName(String name) {
    if (name != null) {
      for (RevocationReason r : values()) {
        if (r.rfcName.equals(name) && r != REMOVE_FROM_CRL) {
          return r;
        }
      }
    }
    throw PkiException.malformed("unknown revocation reason '%s' (expected one of unspecified,"
        + " keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation,"
        + " certificateHold, privilegeWithdrawn, aACompromise)", name);
  }
}
