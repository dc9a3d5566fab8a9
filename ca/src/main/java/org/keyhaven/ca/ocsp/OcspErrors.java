package org.keyhaven.ca.ocsp;

import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;

/**
 * The unsuccessful OCSPResponse answers (RFC 6960 §4.2.1), encoded once at class load: an error
 * costs no signing and no allocation beyond the bytes sent.
 */
public final class OcspErrors {
  /** OCSPResponseStatus with its wire code (4 is unused). */
  public enum Status {
    MALFORMED_REQUEST(1),
    INTERNAL_ERROR(2),
    TRY_LATER(3),
    SIG_REQUIRED(5),
    UNAUTHORIZED(6);

    private final int code;
    private final OcspAnswer answer;

    Status(int code) {
      this.code = code;
      this.answer = encode(code);
    }

    public int code() {
      return code;
    }

    public OcspAnswer answer() {
      return answer;
    }
  }

  private OcspErrors() {}

  private static OcspAnswer encode(int code) {
    try {
      OCSPResp resp = new OCSPRespBuilder().build(code, null);
      return OcspAnswer.of(resp.getEncoded(), null, null);
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }
}
