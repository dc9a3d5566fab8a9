package org.keyhaven.ca;

import java.math.BigInteger;
import java.time.Instant;
import org.keyhaven.common.Bytes;

/**
 * A high-assurance issuance request waiting for a second admin (two-person rule).
 *
 * @param csrDer the original CSR, re-checked when approved
 * @param serial set once approved and issued
 */
public record Approval(
    long id, CaId caId, String profile, Bytes csrDer, Integer validityDays, String subject,
    String requestedBy, Instant requestedAt, Status status, String decidedBy, Instant decidedAt,
    BigInteger serial, String reason) {

  /** Lifecycle of an approval. */
  public enum Status {
    PENDING("pending"),
    APPROVED("approved"),
    REJECTED("rejected");

    private final String code;

    Status(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Status ofCode(String code) {
      for (Status s : values()) {
        if (s.code.equals(code)) {
          return s;
        }
      }
      throw org.keyhaven.common.PkiException.malformed(
          "unknown approval status '%s' (expected pending, approved or rejected)", code);
    }
  }
}
