package org.keyhaven.ca;

import java.util.List;
import org.keyhaven.common.Bytes;

/** What an issuance request led to: a certificate, or a pending two-person approval. */
public sealed interface IssuanceOutcome {
  /**
   * Issued now.
   *
   * @param chain DER of the issuing CA up to and including the root
   */
  record Issued(IssuedCertificate certificate, List<Bytes> chain) implements IssuanceOutcome {
    public Issued {
      chain = List.copyOf(chain);
    }
  }

  /** Waiting for a second admin. */
  record Pending(Approval approval) implements IssuanceOutcome {}
}
