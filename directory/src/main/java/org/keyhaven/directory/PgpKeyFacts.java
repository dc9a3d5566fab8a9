package org.keyhaven.directory;

import java.time.Instant;
import java.util.List;
import org.keyhaven.common.Bytes;

/**
 * The facts dirmngr's LDAP schema needs about one OpenPGP key (gnupg doc/ldap, schema v2).
 *
 * @param fingerprint primary key fingerprint, upper-case hex
 * @param keyId the 64-bit key ID (pgpCertID)
 * @param subkeyFingerprints upper-case hex fingerprints of the subkeys
 * @param subkeyIds 64-bit IDs of the subkeys
 * @param algorithm RFC 4880 §9.1 public-key algorithm number
 * @param bits key size in bits (0 if unknown)
 * @param expires null for keys that do not expire
 * @param keyring the transferable public key, binary (served armored as pgpKey)
 */
public record PgpKeyFacts(String fingerprint, long keyId, List<String> subkeyFingerprints,
    List<Long> subkeyIds, List<String> userIds, List<String> mailboxes, Instant created,
    Instant expires, boolean revoked, int algorithm, int bits, Bytes keyring) {

  public PgpKeyFacts {
    subkeyFingerprints = List.copyOf(subkeyFingerprints);
    subkeyIds = List.copyOf(subkeyIds);
    userIds = List.copyOf(userIds);
    mailboxes = List.copyOf(mailboxes);
  }

  /** The pgpCertID form: 16 upper-case hex digits. */
  public String certId() {
    return String.format("%016X", keyId);
  }
}
