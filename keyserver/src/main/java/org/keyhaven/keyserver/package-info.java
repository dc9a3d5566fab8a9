/**
 * The keyserver façade: {@link org.keyhaven.keyserver.KeyLookup} and {@link
 * org.keyhaven.keyserver.KeySubmission} plus the value types they speak (fingerprints, key IDs,
 * queries, stored keyrings). May import {@code common}, its own {@code openpgp} and {@code store}
 * packages and the JDK; never Javalin, the JDBC adapter or the web-of-trust package.
 */
package org.keyhaven.keyserver;
