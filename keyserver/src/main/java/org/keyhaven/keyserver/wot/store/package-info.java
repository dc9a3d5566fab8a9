/**
 * Adapter from the keyserver's {@code CertificationStore} port to the web-of-trust model, and a
 * network supplier that reloads from it when stale. May import {@code org.keyhaven.keyserver.wot},
 * {@code org.keyhaven.keyserver.store} (ports and records only, never {@code store.jdbc}) and
 * {@code org.keyhaven.keyserver.Fingerprint}.
 */
package org.keyhaven.keyserver.wot.store;
