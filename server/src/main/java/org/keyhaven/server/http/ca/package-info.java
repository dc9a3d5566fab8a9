/**
 * HTTP adapters of the CA: admin and RA routes under {@code /api/v1} and the public CA certificate
 * downloads under {@code /ca}. Thin handlers over {@code org.keyhaven.ca.CertificateAuthority};
 * errors travel as {@code PkiException} to the server's ErrorMapping.
 */
package org.keyhaven.server.http.ca;
