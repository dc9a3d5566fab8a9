package org.keyhaven.ca.publish;

/**
 * Port through which outbox events reach the directory. Implementations must be idempotent (an
 * event may be delivered again after a crash) and throw {@code PkiException} UNAVAILABLE for
 * failures worth retrying.
 */
public interface CertificatePublisher {
  void publish(PublicationEvent event);
}
