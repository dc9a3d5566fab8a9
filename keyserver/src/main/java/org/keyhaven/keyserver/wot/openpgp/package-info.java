/**
 * Adapter from BouncyCastle OpenPGP keyrings to the web-of-trust model: verifies self-signatures
 * and third-party certifications with bcpg and fills a {@code wot.NetworkBuilder}.
 *
 * <p>May import {@code org.keyhaven.keyserver.wot}, {@code org.keyhaven.common} and bcpg/bcprov;
 * the pure model never imports this package.
 */
package org.keyhaven.keyserver.wot.openpgp;
