package org.keyhaven.ca.revocation;

import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import org.keyhaven.ca.CaFixture;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.Csrs;
import org.keyhaven.ca.IssuanceOutcome;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.revocation.store.jdbc.RevocationWiring;

/** A bootstrapped CA on H2 with the revocation assembly over it, for the revocation tests. */
public final class RevocationFixture {
  public final CaFixture ca;
  public final RevocationWiring rev;
  public static final RevocationService.Requester ADMIN =
      new RevocationService.Requester("admin-1", true);
  public static final RevocationService.Requester RA =
      new RevocationService.Requester("ra-1", false);

  public RevocationFixture(Path dir) {
    this.ca = new CaFixture(dir);
    ca.ca.bootstrap();
    this.rev = new RevocationWiring(ca.ca, ca.dataSource, RevocationWiring.Settings.defaults(),
        ca.audit, Clock.systemUTC());
  }

  /** A certificate and its key, issued by ca-mail. */
  public record Issued(IssuedCertificate cert, KeyPair key) {}

  public Issued issue(String email) {
    KeyPair key = Csrs.ec("secp256r1");
    String csr = Csrs.csr(key).email(email).pem();
    var out = (IssuanceOutcome.Issued) ca.ca.issue("ra-1", CaId.of("ca-mail"), csr,
        "smime-sign", null);
    return new Issued(out.certificate(), key);
  }
}
