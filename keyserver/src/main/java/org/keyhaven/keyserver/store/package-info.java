/**
 * Storage ports of the keyserver: {@link org.keyhaven.keyserver.store.KeyringStore} for keys and
 * their index, {@link org.keyhaven.keyserver.store.CertificationStore} for the verified
 * certifications the web of trust reads. Value types only; may import the root keyserver package
 * and {@code common}, never bcpg or JDBC.
 */
package org.keyhaven.keyserver.store;
