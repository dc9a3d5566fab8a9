package org.keyhaven.ca.issuance;

import org.keyhaven.ca.CaConfig;
import org.keyhaven.ca.CaId;

/**
 * The URLs written into certificates, all under the configured public base URL: caIssuers {@code
 * <base>/ca/<ca>.crt}, OCSP {@code <base>/ocsp}, CRL {@code <base>/crl/<ca>.crl}, and the LDAP CRL
 * {@code ldap://host:port/cn=<ca>,ou=cas,<base-dn>?certificateRevocationList;binary}.
 */
public record CaUrls(String base, String ldapUrl, String ldapBaseDn) {
  public static CaUrls of(CaConfig config) {
    return new CaUrls(config.publicBaseUrl(), config.ldapUrl(), config.ldapBaseDn());
  }

  public String caIssuers(CaId ca) {
    return base + "/ca/" + ca + ".crt";
  }

  public String ocsp() {
    return base + "/ocsp";
  }

  public String crl(CaId ca) {
    return base + "/crl/" + ca + ".crl";
  }

  /** Where a CA's delta CRL is served (freshestCRL, RFC 5280 §5.2.6). */
  public String deltaCrl(CaId ca) {
    return base + "/crl/" + ca + "-delta.crl";
  }

  /**
   * The DN of a CA's directory entry (where its CRL and certificate are published): the
   * directory names CA entries by the CA certificate's common name, RFC 4514-escaped.
   */
  public String caEntryDn(String escapedCommonName) {
    return "cn=" + escapedCommonName + ",ou=cas," + ldapBaseDn;
  }

  /** RFC 4516 LDAP URL of the CA's CRL attribute, or null when no directory is configured. */
  public String ldapCrl(String escapedCommonName) {
    if (ldapUrl == null || ldapUrl.isBlank() || ldapBaseDn == null) {
      return null;
    }
    // RFC 4516 §2: the DN is percent-encoded; ',' and '=' may stay, spaces may not.
    String dn = caEntryDn(escapedCommonName).replace("%", "%25").replace(" ", "%20")
        .replace("?", "%3F").replace("#", "%23");
    return ldapUrl.replaceAll("/+$", "") + "/" + dn + "?certificateRevocationList;binary";
  }
}
