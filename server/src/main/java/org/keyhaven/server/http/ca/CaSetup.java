package org.keyhaven.server.http.ca;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import javax.sql.DataSource;
import org.keyhaven.ca.CaConfig;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.keys.Pkcs11Settings;
import org.keyhaven.common.AuditLog;
import org.keyhaven.server.ServerConfig;

/** Builds the CA from the server configuration and bootstraps the default hierarchy. */
public final class CaSetup {
  /** Environment variables naming the SunPKCS11 config file and the user PIN file (HSM path). */
  public static final String PKCS11_CONFIG_ENV = "KEYHAVEN_PKCS11_CONFIG";
  public static final String PKCS11_PIN_ENV = "KEYHAVEN_PKCS11_PIN_FILE";
  /** "true" adds the CA/B Forum S/MIME mailbox-validated strict OID to persona certificates. */
  public static final String CABF_SMIME_ENV = "KEYHAVEN_CABF_SMIME_STRICT";

  private CaSetup() {}

  public static CaConfig config(ServerConfig config, String publicBaseUrl) {
    String host = URI.create(publicBaseUrl).getHost();
    CaConfig c = CaConfig.of(config.org(), config.mailDomains(), publicBaseUrl, config.dataDir())
        .withKeyPassphraseFile(config.keyPassphraseFile());
    if (config.ldapPort() > 0) {
      c = c.withLdap("ldap://" + host + ":" + config.ldapPort(), config.effectiveLdapBaseDn());
    }
    c = c.withCabfSmimeStrict("true".equals(System.getenv(CABF_SMIME_ENV)));
    String p11 = System.getenv(PKCS11_CONFIG_ENV);
    String pin = System.getenv(PKCS11_PIN_ENV);
    if (p11 != null && !p11.isBlank() && pin != null && !pin.isBlank()) {
      c = c.withPkcs11(new Pkcs11Settings(Path.of(p11), Path.of(pin)));
    }
    return c;
  }

  /** Opens the CA and creates the default hierarchy on first start (idempotent). */
  public static CertificateAuthority open(ServerConfig config, String publicBaseUrl,
      DataSource ds, Clock clock, AuditLog audit) {
    CertificateAuthority ca = org.keyhaven.ca.store.jdbc.JdbcCertificateAuthority.open(
        config(config, publicBaseUrl), ds, clock, audit);
    ca.bootstrap();
    checkMasterSecret(ca);
    return ca;
  }

  /**
   * Decrypts one CA key now, so that a node started with another master secret than the one the
   * keys in the database were encrypted with (a second node of a cluster without the first's
   * {@code --key-passphrase-file}) refuses to start instead of failing at its first signature.
   * The signer stays cached, so this costs nothing later.
   */
  static void checkMasterSecret(CertificateAuthority ca) {
    var active = ca.registry().all().stream()
        .filter(n -> n.status() == org.keyhaven.ca.hierarchy.CaStatus.ACTIVE).findFirst();
    if (active.isPresent()) {
      try {
        ca.registry().signer(active.get().id());
      } catch (org.keyhaven.common.PkiException e) {
        throw new IllegalStateException("cannot use the CA keys in the database: " + e.detail()
            + "; every node needs the same --key-passphrase-file (docs/SCALING.md)", e);
      }
    }
  }
}
