package org.keyhaven.ca.store;

import org.keyhaven.ca.CaId;

/**
 * Filters for listing certificates; null fields do not filter. {@code email} matches a SAN mailbox
 * exactly (case-insensitive), {@code subject} is a case-insensitive substring of the RFC 4514
 * subject.
 */
public record CertificateQuery(
    String email, String subject, CertificateStatus.State status, CaId ca, int offset,
    int limit) {
  public static final int MAX_LIMIT = 500;

  public CertificateQuery {
    if (offset < 0) {
      throw org.keyhaven.common.PkiException.malformed("offset must not be negative");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw org.keyhaven.common.PkiException.malformed("limit must be 1 to %d", MAX_LIMIT);
    }
  }

  public static CertificateQuery byCa(CaId ca, int offset, int limit) {
    return new CertificateQuery(null, null, null, ca, offset, limit);
  }
}
