package org.keyhaven.ca.store;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.common.AuditLog;

/** Issued certificates, their serial reservations and their revocation status. */
public interface CertificateStore {
  /**
   * Durably reserves {@code serial} before anything is signed with it, so that a serial is never
   * used twice, even across a crash between signing and saving.
   *
   * @throws org.keyhaven.common.PkiException CONFLICT if the serial was ever reserved before
   */
  void reserveSerial(CaId ca, BigInteger serial, Instant at);

  /**
   * Reserves several serials in one transaction: all or none.
   *
   * @throws org.keyhaven.common.PkiException CONFLICT if any was ever reserved before
   */
  default void reserveSerials(CaId ca, java.util.List<BigInteger> serials, Instant at) {
    for (BigInteger s : serials) {
      reserveSerial(ca, s, at);
    }
  }

  /**
   * Saves a certificate (status good) with its publication event in one transaction (outbox).
   * The serial must have been reserved.
   */
  void save(IssuedCertificate certificate, PublicationEvent event);

  /**
   * Saves like {@link #save} and appends {@code audit}'s entry that reports the issuance: both
   * are committed when this returns. A store on the audit log's own database commits them in
   * one transaction (the log's group commit); by default they are two steps, store first.
   */
  default void save(IssuedCertificate certificate, PublicationEvent event, AuditLog audit,
      String actor, String action, String target, String outcome, String detail) {
    save(certificate, event);
    audit.record(actor, action, target, outcome, detail);
  }

  Optional<IssuedCertificate> find(CaId ca, BigInteger serial);

  /** Serials are unique across all CAs of this server. */
  Optional<IssuedCertificate> findBySerial(BigInteger serial);

  /**
   * Only the revocation status of a certificate of {@code ca}: what an OCSP answer needs, read
   * without the certificate's bytes and mailboxes.
   */
  default Optional<CertificateStatus> status(CaId ca, BigInteger serial) {
    return find(ca, serial).map(IssuedCertificate::status);
  }

  /** Newest first. */
  Page<IssuedCertificate> list(CertificateQuery query);

  /**
   * For each address of {@code emails} (compared lower-cased) that a certificate's SAN names: the
   * first {@link CertificateQuery#MAX_LIMIT} of those certificates, newest first, as
   * {@link #list} with that e-mail filter gives them. Keys are the lower-cased addresses;
   * addresses without a certificate are absent. Batch recipient lookups use it: adapters answer
   * many addresses with a few queries.
   */
  default Map<String, List<IssuedCertificate>> listByEmails(Collection<String> emails) {
    Map<String, List<IssuedCertificate>> out = new LinkedHashMap<>();
    for (String e : emails) {
      List<IssuedCertificate> found = list(new CertificateQuery(e, null, null, null, 0,
          CertificateQuery.MAX_LIMIT)).items();
      if (!found.isEmpty()) {
        out.put(e.toLowerCase(Locale.ROOT), found);
      }
    }
    return out;
  }

  /**
   * Sets the revocation status (for the revocation service).
   *
   * @return false if no such certificate
   */
  boolean updateStatus(CaId ca, BigInteger serial, CertificateStatus status);
}
