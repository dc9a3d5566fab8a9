package org.keyhaven.directory;

import java.util.List;

/**
 * Writes what the database holds into an LDAP directory. Every operation validates its input
 * (MALFORMED for bad bytes), is idempotent (the outbox may deliver twice) and throws {@code
 * PkiException} UNAVAILABLE when the directory cannot be reached, so the caller retries.
 */
public interface DirectoryPublisher {
  /** Adds an end-entity certificate to the person entry of each of its mailboxes. */
  void publishCertificate(byte[] der);

  /**
   * Publishes many end-entity certificates into a directory that has no person entries yet (a
   * rebuild after clearing). Bad or expired certificates are skipped, not thrown.
   *
   * @return how many certificates were published
   */
  default int loadCertificates(List<byte[]> ders) {
    int n = 0;
    for (byte[] der : ders) {
      try {
        publishCertificate(der);
        n++;
      } catch (org.keyhaven.common.PkiException e) {
        if (e.kind() == org.keyhaven.common.ErrorKind.UNAVAILABLE) {
          throw e;
        }
      }
    }
    return n;
  }

  /** Removes an end-entity certificate (revoked, expired, withdrawn) from its person entries. */
  void withdrawCertificate(byte[] der);

  /** Creates or updates the CA entry ({@code cACertificate;binary}). */
  void publishCaCertificate(byte[] der);

  /**
   * Replaces the CA entry's full CRL ({@code certificateRevocationList;binary}) or delta CRL
   * ({@code deltaRevocationList;binary}) unless a newer one (higher CRL number) is there already.
   *
   * @return serial numbers (lower-case hex) listed as revoked, for the caller to withdraw
   */
  List<String> publishCrl(byte[] der);

  /** Creates or replaces an OpenPGP key entry (pgpRevoked follows {@code key.revoked()}). */
  void publishKey(PgpKeyFacts key);

  /** Removes an OpenPGP key entry by primary fingerprint; absent keys are fine. */
  void removeKey(String fingerprintHex);

  /** Deletes the person entry of {@code mailbox} (reconcile: the database has nothing for it). */
  void removeMailbox(String mailbox);

  /** Mailboxes that currently have a person entry, for reconciling against the database. */
  List<String> publishedMailboxes();

  /** Fingerprints (upper-case hex) of the published OpenPGP keys. */
  List<String> publishedKeyFingerprints();
}
