/**
 * The CA hierarchy in the PEM model (root → policy CAs → issuing CAs): {@link
 * org.keyhaven.ca.hierarchy.CaNode} describes one CA, {@link org.keyhaven.ca.hierarchy.CaRegistry}
 * finds CAs by id, subject or key hash, and {@link org.keyhaven.ca.hierarchy.CaSigner} signs with a
 * CA key without ever exposing it. Revocation (CRL, OCSP) code should depend on these three types
 * only; it may import {@code store} ports and {@code keys}, never {@code store.jdbc}.
 */
package org.keyhaven.ca.hierarchy;
