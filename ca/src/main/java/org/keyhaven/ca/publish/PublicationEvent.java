package org.keyhaven.ca.publish;

import java.time.Instant;
import java.util.List;
import org.keyhaven.common.Bytes;

/**
 * Something to publish in the directory, recorded in the outbox in the same transaction as the
 * certificate (or CRL) it carries.
 *
 * @param id outbox sequence number (0 before it is stored)
 * @param caId the issuing CA's id ({@code ca-mail}); for a CA certificate, the CA's own id
 * @param serialHex lower-case hex serial, or null for a CRL
 * @param subject the certificate subject in RFC 4514 form, or the CRL issuer
 * @param emails mailboxes of an end-entity certificate (SAN), for the directory entry
 * @param der the DER certificate or CRL
 */
public record PublicationEvent(
    long id, Kind kind, String caId, String serialHex, String subject, List<String> emails,
    Bytes der, Instant createdAt) {

  /** What the event carries; the directory maps each to an attribute. */
  public enum Kind {
    /** End-entity certificate: {@code userCertificate;binary} (or userSMIMECertificate). */
    END_ENTITY_CERTIFICATE("ee-certificate"),
    /** CA certificate: {@code cACertificate;binary} on the CA's entry. */
    CA_CERTIFICATE("ca-certificate"),
    /** CRL: {@code certificateRevocationList;binary} on the CA's entry. */
    CRL("crl");

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
      throw new IllegalArgumentException("unknown publication kind " + code);
    }
  }

  public PublicationEvent {
    emails = List.copyOf(emails);
  }

  /** A copy carrying its outbox id. */
  public PublicationEvent withId(long newId) {
    return new PublicationEvent(newId, kind, caId, serialHex, subject, emails, der, createdAt);
  }
}
