package org.keyhaven.recipients;

import java.time.Instant;
import java.util.List;

/**
 * Everything known about one address: S/MIME certificates and OpenPGP keys, each with whether it
 * is usable and, if not, why.
 */
public record RecipientAnswer(String email, List<SmimeEntry> smime, List<OpenPgpEntry> openpgp) {
  public RecipientAnswer {
    smime = List.copyOf(smime);
    openpgp = List.copyOf(openpgp);
  }

  public boolean isEmpty() {
    return smime.isEmpty() && openpgp.isEmpty();
  }

  /**
   * An S/MIME certificate for the address.
   *
   * @param usages "encrypt" and/or "sign", from keyUsage and the profile
   * @param status good, revoked, hold or expired, from our own records
   * @param chain PEM of the issuing CA up to the root
   * @param preferred the newest usable certificate for each of its usages
   * @param reasons why it is not usable (empty when usable)
   */
  public record SmimeEntry(String serial, String ca, String profile, String subject,
      List<String> usages, Instant notBefore, Instant notAfter, String status, String revocationReason,
      String certificate, List<String> chain, boolean usable, boolean preferred, List<String> reasons) {
    public SmimeEntry {
      usages = List.copyOf(usages);
      chain = List.copyOf(chain);
      reasons = List.copyOf(reasons);
    }
  }

  /**
   * An OpenPGP key with a user ID for the address.
   *
   * @param encryptionSubkey fingerprint of the usable encryption (sub)key, or null
   * @param validity web-of-trust validity of the matching user ID from the server's trust roots
   */
  public record OpenPgpEntry(String fingerprint, String userId, String encryptionSubkey,
      Instant created, Instant expires, boolean revoked, String validity, boolean usable,
      List<String> reasons) {
    public OpenPgpEntry {
      reasons = List.copyOf(reasons);
    }
  }
}
