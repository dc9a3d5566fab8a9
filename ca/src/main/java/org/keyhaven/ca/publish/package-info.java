/**
 * The published port towards the directory: {@link org.keyhaven.ca.publish.CertificatePublisher}
 * (implemented by the directory module) and the {@link org.keyhaven.ca.publish.PublicationEvent}
 * values it receives from the outbox. Imports only common and the JDK, so the directory can depend
 * on it without seeing CA internals.
 */
package org.keyhaven.ca.publish;
