package org.keyhaven.server;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything {@code keyhaven serve} is configured with. Holds no secrets itself (only paths to
 * them), so {@link #toString()} is safe to log.
 *
 * @param publicBaseUrl the URL clients reach this server at; written into certificates (AIA, CRL
 *     distribution points) and pages
 * @param ldapPublishUrl external directory (OpenLDAP) to publish to as well, or null
 * @param ldapPublishPasswordFile file holding the bind password for {@code ldapPublishUrl}
 * @param ldapsPort LDAPS port of the embedded directory, 0 = off
 * @param ldapStartTls whether the embedded directory's plain port offers StartTLS
 */
public record ServerConfig(
    Path dataDir,
    String bind,
    int httpPort,
    int hkpPort,
    int ldapPort,
    String dbUrl,
    String dbUser,
    Path dbPasswordFile,
    String org,
    List<String> mailDomains,
    String publicBaseUrl,
    Path keyPassphraseFile,
    String ldapBaseDn,
    long maxBodyBytes,
    String ldapPublishUrl,
    String ldapPublishBindDn,
    Path ldapPublishPasswordFile,
    int ldapsPort,
    boolean ldapStartTls) {

  public static final long DEFAULT_MAX_BODY_BYTES = 4L * 1024 * 1024;

  public ServerConfig {
    mailDomains = List.copyOf(mailDomains);
    if (mailDomains.isEmpty()) {
      throw new IllegalArgumentException("at least one mail domain is needed");
    }
  }

  /** Without an external directory (the arity before --ldap-publish-url; keeps callers stable). */
  public ServerConfig(Path dataDir, String bind, int httpPort, int hkpPort, int ldapPort,
      String dbUrl, String dbUser, Path dbPasswordFile, String org, List<String> mailDomains,
      String publicBaseUrl, Path keyPassphraseFile, String ldapBaseDn, long maxBodyBytes) {
    this(dataDir, bind, httpPort, hkpPort, ldapPort, dbUrl, dbUser, dbPasswordFile, org,
        mailDomains, publicBaseUrl, keyPassphraseFile, ldapBaseDn, maxBodyBytes, null, null, null);
  }

  /** Without LDAPS/StartTLS (the arity before --ldaps-port; keeps callers stable). */
  public ServerConfig(Path dataDir, String bind, int httpPort, int hkpPort, int ldapPort,
      String dbUrl, String dbUser, Path dbPasswordFile, String org, List<String> mailDomains,
      String publicBaseUrl, Path keyPassphraseFile, String ldapBaseDn, long maxBodyBytes,
      String ldapPublishUrl, String ldapPublishBindDn, Path ldapPublishPasswordFile) {
    this(dataDir, bind, httpPort, hkpPort, ldapPort, dbUrl, dbUser, dbPasswordFile, org,
        mailDomains, publicBaseUrl, keyPassphraseFile, ldapBaseDn, maxBodyBytes, ldapPublishUrl,
        ldapPublishBindDn, ldapPublishPasswordFile, 0, false);
  }

  /** A copy with LDAPS on {@code port} (0 = off) and StartTLS on or off. */
  public ServerConfig withLdapTls(int port, boolean startTls) {
    return new ServerConfig(dataDir, bind, httpPort, hkpPort, ldapPort, dbUrl, dbUser,
        dbPasswordFile, org, mailDomains, publicBaseUrl, keyPassphraseFile, ldapBaseDn,
        maxBodyBytes, ldapPublishUrl, ldapPublishBindDn, ldapPublishPasswordFile, port, startTls);
  }

  /** Whether the embedded directory runs (a plain or an LDAPS listener is configured). */
  public boolean embeddedDirectory() {
    return ldapPort > 0 || ldapsPort > 0;
  }

  /**
   * The H2 file database in the data dir unless a JDBC URL was given. {@code WRITE_DELAY=0}: H2's
   * MVStore has no redo log and by default writes committed changes to the file only every 500 ms,
   * so a killed process (SIGKILL, OOM killer, power loss) lost certificates and revocations that
   * clients had already been told about (found by CrashConsistencyTest). With 0, every commit
   * reaches the file before the transaction returns.
   */
  public String effectiveDbUrl() {
    if (dbUrl != null && !dbUrl.isBlank()) {
      return dbUrl;
    }
    return "jdbc:h2:file:"
        + dataDir.toAbsolutePath().resolve("keyhaven")
        + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;WRITE_DELAY=0";
  }

  /** The base DN of the directory: explicit, or dc= components of the first mail domain. */
  public String effectiveLdapBaseDn() {
    if (ldapBaseDn != null && !ldapBaseDn.isBlank()) {
      return ldapBaseDn;
    }
    StringBuilder dn = new StringBuilder();
    for (String part : mailDomains.get(0).split("\\.")) {
      if (dn.length() > 0) {
        dn.append(',');
      }
      dn.append("dc=").append(part);
    }
    return dn.toString();
  }

  /** The public base URL, defaulting to the HTTP listener's loopback address. */
  public String effectivePublicBaseUrl(int actualHttpPort) {
    if (publicBaseUrl != null && !publicBaseUrl.isBlank()) {
      return publicBaseUrl.replaceAll("/+$", "");
    }
    String host = bind.contains(":") ? "[" + bind + "]" : bind;
    return "http://" + host + ":" + actualHttpPort;
  }
}
