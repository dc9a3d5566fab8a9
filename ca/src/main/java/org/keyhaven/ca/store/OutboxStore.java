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

  /**
   * Every event with an id above {@code afterId}, published or not, oldest first: for a node
   * that keeps its own directory in step by following the outbox without draining it.
   */
  List<PublicationEvent> after(long afterId, int limit);

  /** The highest event id so far, 0 if none. */
  long lastId();

  void markPublished(long id, Instant at);

  void markFailed(long id, String error);
}
