package org.keyhaven.ca.store;

import java.time.Instant;
import java.util.List;
import org.keyhaven.ca.publish.PublicationEvent;

/**
 * The publication outbox, drained by the server's publication worker through {@code
 * CertificatePublisher}.
 */
public interface OutboxStore {
  /** Appends an event on its own (CRLs); certificates append through their store's save. */
  long append(PublicationEvent event);

  /** Oldest unpublished events first. */
  List<PublicationEvent> pending(int limit);

  void markPublished(long id, Instant at);

  void markFailed(long id, String error);
}
