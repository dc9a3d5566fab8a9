/**
 * A small client for Keyhaven's recipient lookup API, for Java mail components (MUA, MSA,
 * gateway) to embed. Depends on the JDK and Jackson only, nothing of the server.
 */
package org.keyhaven.client;
