/**
 * The HKP codec (draft-gallagher-openpgp-hkp, SKS behaviour gpg relies on): lookup parameters
 * into a closed {@link org.keyhaven.keyserver.hkp.HkpRequest}, and the machine-readable and HTML
 * index writers. May import the root keyserver value types and {@code common}; never Javalin.
 */
package org.keyhaven.keyserver.hkp;
