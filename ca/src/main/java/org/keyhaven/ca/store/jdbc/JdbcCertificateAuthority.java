package org.keyhaven.ca.store.jdbc;

import java.time.Clock;
import javax.sql.DataSource;
import org.keyhaven.ca.CaConfig;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.issuance.RandomSerialGenerator;
import org.keyhaven.ca.keys.CaKeys;
import org.keyhaven.ca.keys.KeyProtector;
import org.keyhaven.ca.keys.MasterSecret;
import org.keyhaven.ca.keys.Pkcs11Token;
import org.keyhaven.common.AuditLog;

/**
 * The production assembly of the CA: JDBC stores, the master secret (loaded or created), the
 * optional PKCS#11 token and a CSPRNG serial source. Lives here so domain packages never import
 * the JDBC adapters.
 */
public final class JdbcCertificateAuthority {
  static final int HIGH_ENTROPY_ITERATIONS = 10_000;

  private JdbcCertificateAuthority() {}

  public static CertificateAuthority open(CaConfig config, DataSource ds, Clock clock,
      AuditLog audit) {
    MasterSecret secret = MasterSecret.load(config.keyPassphraseFile(), config.dataDir());
    // A generated 256-bit master secret needs no stretching; a typed passphrase gets the full
    // configured PBKDF2 cost.
    int iterations = secret.isHighEntropy()
        ? Math.min(config.pbeIterations(), HIGH_ENTROPY_ITERATIONS) : config.pbeIterations();
    CaKeys keys = new CaKeys(new KeyProtector(secret, iterations),
        config.pkcs11().map(Pkcs11Token::open));
    var parts = new CertificateAuthority.Parts(new JdbcCaStore(ds), new JdbcCertificateStore(ds),
        new JdbcApprovalStore(ds), new JdbcOutboxStore(ds), keys, new RandomSerialGenerator());
    return new CertificateAuthority(config, parts, audit, clock);
  }
}
