package org.keyhaven.ca.hierarchy;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.CaId;
import org.keyhaven.common.Bytes;

/**
 * A certificate published with one of our CAs that this server did not issue: the external chain
 * above an imported subordinate CA, or a cross-certificate an external CA issued for our CA.
 *
 * @param position order within the kind (0 = nearest to our CA)
 */
public record LinkedCertificate(CaId caId, Kind kind, int position, Bytes der) {

  /** Why the certificate is linked to the CA; the codes are stored. */
  public enum Kind {
    /** External chain above an imported subordinate CA, up to and including its root. */
    ISSUER("issuer"),
    /** A certificate an external CA issued over our CA's subject and key. */
    CROSS("cross"),
    /** External intermediates between a cross-certificate and the external root. */
    CROSS_ISSUER("cross-issuer");

    private final String code;

    Kind(String code) {
      this.code = code;
    }

    public String code() {
      return code;
    }

    public static Kind ofCode(String code) {
      for (Kind k : values()) {
        if (k.code.equals(code)) {
          return k;
        }
      }
      throw new IllegalArgumentException("unknown linked certificate kind " + code);
    }
  }

  public X509CertificateHolder holder() {
    try {
      return new X509CertificateHolder(der.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
