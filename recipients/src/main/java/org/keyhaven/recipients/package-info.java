/**
 * Recipient key discovery: "which keys may I encrypt to, or verify mail from, this address?"
 * answered from the CA's certificates and the keyserver's OpenPGP keys, with the reasons anything
 * is not usable. May import ca's and keyserver's public façades and values, bcpkix and bcpg.
 */
package org.keyhaven.recipients;
