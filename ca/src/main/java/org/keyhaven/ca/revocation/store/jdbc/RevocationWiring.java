package org.keyhaven.ca.revocation.store.jdbc;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.crl.CrlService;
import org.keyhaven.ca.issuance.CaUrls;
import org.keyhaven.ca.issuance.RandomSerialGenerator;
import org.keyhaven.ca.ocsp.DelegatedResponders;
import org.keyhaven.ca.ocsp.IssuerIndex;
import org.keyhaven.ca.ocsp.OcspResponder;
import org.keyhaven.ca.revocation.RevocationService;
import org.keyhaven.common.AuditLog;

/**
 * The production assembly of revocation: JDBC stores, the revocation service, CRLs, the OCSP
 * responder, and a background thread for CRL regeneration after each revocation. The periodic
 * work ({@link #refreshCrls()}, {@link #rotateResponders()}) is scheduled by the server, which
 * decides where it runs in a cluster (docs/SCALING.md). Built by the server's wiring; closed at
 * shutdown.
 */
public final class RevocationWiring implements AutoCloseable {
  public final RevocationService revocations;
  public final CrlService crls;
  public final DelegatedResponders responders;
  public final OcspResponder ocsp;
  private final ExecutorService afterRevocation;

  /** Tunables; {@link #defaults()} is what the server uses. */
  public record Settings(CrlService.Settings crl, OcspResponder.Settings ocsp,
      Duration responderLifetime) {
    public static Settings defaults() {
      return new Settings(CrlService.Settings.defaults(), OcspResponder.Settings.defaults(),
          Duration.ofDays(4));
    }
  }

  public RevocationWiring(CertificateAuthority ca, DataSource ds, Settings settings,
      AuditLog audit, Clock clock) {
    JdbcRevocationStore store = new JdbcRevocationStore(ds);
    this.revocations = new RevocationService(ca.certificateStore(), store, audit, clock);
    this.crls = new CrlService(ca.registry(), store, new JdbcCrlStore(ds),
        CaUrls.of(ca.config()), settings.crl(), audit, clock);
    this.responders = new DelegatedResponders(ca.registry(), ca.certificateStore(),
        new RandomSerialGenerator(), new JdbcResponderLog(ds), audit, clock,
        settings.responderLifetime());
    this.ocsp = new OcspResponder(new IssuerIndex(ca.registry(), clock), ca.certificateStore(),
        responders, settings.ocsp(), clock);
    this.afterRevocation = Executors.newSingleThreadExecutor(daemon("crl-after-revocation"));
    revocations.addListener(ocsp);
    // The next CRL fetch would regenerate anyway; this just has it ready (and published) sooner.
    revocations.addListener((issuer, serial) -> afterRevocation.execute(() -> safely(
        () -> crls.refresh(issuer))));
  }

  /**
   * The scheduled CRL job: regenerates every CA's CRLs that passed half their life or lag behind
   * a revocation. Needs to run on one node of a cluster only: CRLs are numbered and stored in the
   * database, and every node serves the newest stored one.
   */
  public void refreshCrls() {
    crls.refreshAll();
  }

  /**
   * The scheduled responder job: replaces this process's delegated OCSP responder certificates
   * that passed half their life. The responder key never leaves the process's memory (V20), so
   * every node rotates its own; without this tick a node would rotate on its next OCSP request.
   */
  public void rotateResponders() {
    responders.rotateDue();
  }

  private static void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      org.slf4j.LoggerFactory.getLogger(RevocationWiring.class).warn("revocation job failed", e);
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  @Override
  public void close() {
    afterRevocation.shutdown();
    try {
      afterRevocation.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
