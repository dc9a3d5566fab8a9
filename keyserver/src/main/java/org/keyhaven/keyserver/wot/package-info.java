/**
 * Web of trust: a plain graph model (keys, user IDs, certifications) and the algorithms over it,
 * GnuPG-exact classic/PGP validity ({@link org.keyhaven.keyserver.wot.ValidityCalculator}) and
 * certification paths ({@link org.keyhaven.keyserver.wot.PathFinder}).
 *
 * <p>May import the JDK and {@code org.keyhaven.common} only: nothing from OpenPGP parsing, storage
 * or HKP, and no BouncyCastle. Adapters (such as {@code wot.openpgp}) fill a {@link
 * org.keyhaven.keyserver.wot.NetworkBuilder} from any source. The rules are in docs/WOT.md.
 */
package org.keyhaven.keyserver.wot;
