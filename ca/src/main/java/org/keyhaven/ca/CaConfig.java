package org.keyhaven.ca;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.keys.Pkcs11Settings;

/**
 * What the server configures the CA with.
 *
 * @param organisation the O= of every CA subject and the directoryName subtree of the standard
 *     policy
 * @param mailDomains permitted mail (and mail hub DNS) domains of the standard policy
 * @param publicBaseUrl base of the AIA, OCSP and CRL URLs written into certificates, no trailing
 *     slash
 * @param ldapUrl {@code ldap://host:port} of the directory for the LDAP CRL distribution point, or
 *     null for none
 * @param ldapBaseDn the directory's base DN; CA entries live at {@code cn=<ca>,ou=cas,<base>}
 * @param dataDir where the generated master secret lives
 * @param keyPassphraseFile if set, the master secret is read from here instead of the data dir
 * @param policyArc the OID arc under which the PCA policy OIDs are {@code .1}, {@code .2}, {@code
 *     .3}
 * @param cabfSmimeStrict add the CA/B Forum mailbox-validated strict policy OID (2.23.140.1.5.1.3)
 *     to S/MIME end-entity certificates of persona CAs (whose CN/email-only subjects match that
 *     profile); those then carry HTTP-only CRL distribution points (SBR §7.1.2.3(b))
 * @param pbeIterations PBKDF2 iterations for CA keys encrypted at rest
 * @param pkcs11 the HSM, if one is configured
 */
public record CaConfig(
    String organisation,
    List<String> mailDomains,
    String publicBaseUrl,
    String ldapUrl,
    String ldapBaseDn,
    Path dataDir,
    Path keyPassphraseFile,
    String policyArc,
    boolean cabfSmimeStrict,
    int pbeIterations,
    Optional<Pkcs11Settings> pkcs11) {

  /**
   * A UUID arc (ITU-T X.667) minted for Keyhaven; organisations may configure their own. Its
   * 128-bit arc does not fit the 31-bit arcs of Go's encoding/asn1 (zlint/zcrypto, older Go
   * relying parties); use a shorter arc (e.g. under an IANA PEN) when those must parse the
   * certificates.
   */
  public static final String DEFAULT_POLICY_ARC = "2.25.228478668390227286052798569693955369594";

  public static final int DEFAULT_PBE_ITERATIONS = 310_000;

  public CaConfig {
    mailDomains = mailDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    if (mailDomains.isEmpty()) {
      throw new IllegalArgumentException("at least one mail domain is needed");
    }
    publicBaseUrl = publicBaseUrl.replaceAll("/+$", "");
    pkcs11 = pkcs11 == null ? Optional.empty() : pkcs11;
  }

  /** Defaults for everything but the names, URL and data dir. */
  public static CaConfig of(
      String organisation, List<String> mailDomains, String publicBaseUrl, Path dataDir) {
    return new CaConfig(
        organisation,
        mailDomains,
        publicBaseUrl,
        null,
        null,
        dataDir,
        null,
        DEFAULT_POLICY_ARC,
        false,
        DEFAULT_PBE_ITERATIONS,
        Optional.empty());
  }

  public CaConfig withLdap(String url, String baseDn) {
    return new CaConfig(organisation, mailDomains, publicBaseUrl, url, baseDn, dataDir,
        keyPassphraseFile, policyArc, cabfSmimeStrict, pbeIterations, pkcs11);
  }

  public CaConfig withKeyPassphraseFile(Path file) {
    return new CaConfig(organisation, mailDomains, publicBaseUrl, ldapUrl, ldapBaseDn, dataDir,
        file, policyArc, cabfSmimeStrict, pbeIterations, pkcs11);
  }

  public CaConfig withCabfSmimeStrict(boolean on) {
    return new CaConfig(organisation, mailDomains, publicBaseUrl, ldapUrl, ldapBaseDn, dataDir,
        keyPassphraseFile, policyArc, on, pbeIterations, pkcs11);
  }

  public CaConfig withPolicyArc(String arc) {
    return new CaConfig(organisation, mailDomains, publicBaseUrl, ldapUrl, ldapBaseDn, dataDir,
        keyPassphraseFile, arc, cabfSmimeStrict, pbeIterations, pkcs11);
  }

  public CaConfig withPbeIterations(int iterations) {
    return new CaConfig(organisation, mailDomains, publicBaseUrl, ldapUrl, ldapBaseDn, dataDir,
        keyPassphraseFile, policyArc, cabfSmimeStrict, iterations, pkcs11);
  }

  public CaConfig withPkcs11(Pkcs11Settings settings) {
    return new CaConfig(organisation, mailDomains, publicBaseUrl, ldapUrl, ldapBaseDn, dataDir,
        keyPassphraseFile, policyArc, cabfSmimeStrict, pbeIterations, Optional.of(settings));
  }

  /** The default certificate-policy OID of a policy kind under {@link #policyArc()}. */
  public String defaultPolicyOid(PolicyKind kind) {
    return policyArc + "." + kind.arcNumber();
  }
}
