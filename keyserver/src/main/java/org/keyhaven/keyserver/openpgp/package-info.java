/**
 * OpenPGP codec and cryptography for the keyserver: packet framing with limits, armor, signature
 * verification with bcpg and the exact, order-independent keyring merge. May import bcpg/bcprov,
 * {@code common} and the root keyserver value types; never the store or HTTP.
 */
package org.keyhaven.keyserver.openpgp;
