package org.keyhaven.ca.revocation;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.ca.store.CertificateStore;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;

/**
 * Revokes, holds and releases certificates. Each change is committed (certificate status plus an
 * event row, one transaction) before the call returns; listeners then invalidate OCSP caches and
 * regenerate CRLs. See docs/REVOCATION.md.
 */
public final class RevocationService {
  /** How far a self-service statement's time may be from ours. */
  public static final Duration SELF_SERVICE_WINDOW = Duration.ofMinutes(10);

  private final CertificateStore certificates;
  private final RevocationStore store;
  private final AuditLog audit;
  private final Clock clock;
  private final List<RevocationListener> listeners = new CopyOnWriteArrayList<>();

  /** Who asks: an authenticated operator (admin or RA) or the key holder. */
  public record Requester(String name, boolean admin) {}

  public RevocationService(CertificateStore certificates, RevocationStore store, AuditLog audit,
      Clock clock) {
    this.certificates = certificates;
    this.store = store;
    this.audit = audit;
    this.clock = clock;
  }

  public void addListener(RevocationListener listener) {
    listeners.add(listener);
  }

  /**
   * Revokes (or, for certificateHold, suspends) a certificate. A CA certificate may be revoked by
   * an admin only, and never put on hold (SBR §7.2.2).
   */
  public IssuedCertificate revoke(Requester who, String serialHex, RevocationReason reason,
      Optional<Instant> invalidityDate) {
    String target = "certificate/" + serialHex;
    try {
      IssuedCertificate cert = certificate(serialHex);
      Instant now = clock.instant();
      boolean caCert = IssuedCertificate.CA_PROFILE.equals(cert.profile());
      if (caCert && !who.admin()) {
        throw PkiException.forbidden("revoking a CA certificate needs the admin role");
      }
      if (caCert && reason == RevocationReason.CERTIFICATE_HOLD) {
        throw PkiException.policy("rule no-hold-for-ca: a CA certificate cannot be put on hold");
      }
      if (invalidityDate.isPresent() && invalidityDate.get().isAfter(now)) {
        throw PkiException.malformed("invalidityDate %s is in the future", invalidityDate.get());
      }
      CertificateStatus.State from = cert.status().state();
      if (from == CertificateStatus.State.REVOKED
          || (from == CertificateStatus.State.HOLD
              && reason == RevocationReason.CERTIFICATE_HOLD)) {
        throw PkiException.conflict("certificate %s is already %s", serialHex,
            from == CertificateStatus.State.REVOKED ? "revoked" : "on hold");
      }
      boolean hold = reason == RevocationReason.CERTIFICATE_HOLD;
      CertificateStatus next = new CertificateStatus(
          hold ? CertificateStatus.State.HOLD : CertificateStatus.State.REVOKED, reason.code(),
          now, invalidityDate.orElse(null));
      apply(cert, from, next, hold ? RevocationStore.Action.HOLD : RevocationStore.Action.REVOKE,
          who.name(), now);
      audit.record(who.name(), "cert.revoke", target, AuditLog.SUCCESS,
          cert.caId() + " " + reason.rfcName());
      return certificates.find(cert.caId(), cert.serial()).orElseThrow();
    } catch (PkiException e) {
      audit.record(who.name(), "cert.revoke", target, AuditLog.FAILURE, e.detail());
      throw e;
    }
  }

  /** Lifts a certificateHold (RFC 5280 §5.3.1); the next delta CRL says removeFromCRL. */
  public IssuedCertificate release(Requester who, String serialHex) {
    String target = "certificate/" + serialHex;
    try {
      IssuedCertificate cert = certificate(serialHex);
      if (cert.status().state() != CertificateStatus.State.HOLD) {
        throw PkiException.conflict("certificate %s is not on hold (it is %s)", serialHex,
            cert.status().state().code());
      }
      apply(cert, CertificateStatus.State.HOLD, CertificateStatus.GOOD,
          RevocationStore.Action.RELEASE, who.name(), clock.instant());
      audit.record(who.name(), "cert.release", target, AuditLog.SUCCESS, cert.caId().value());
      return certificates.find(cert.caId(), cert.serial()).orElseThrow();
    } catch (PkiException e) {
      audit.record(who.name(), "cert.release", target, AuditLog.FAILURE, e.detail());
      throw e;
    }
  }

  /**
   * The "scram switch": revokes the certificate a signed statement names, if the signature is by
   * that certificate's own key, the statement is fresh and its nonce unused.
   */
  public IssuedCertificate selfService(byte[] cms) {
    String actor = "self-service";
    SignedRevocationRequest req;
    SelfServiceStatement st;
    try {
      req = SignedRevocationRequest.decode(cms);
      st = SelfServiceStatement.parse(req.content());
    } catch (PkiException e) {
      audit.record(actor, "cert.revoke.self", "-", AuditLog.FAILURE, e.detail());
      throw e;
    }
    String serialHex = IssuedCertificate.serialHex(st.serial());
    String target = "certificate/" + serialHex;
    try {
      IssuedCertificate cert = certificate(serialHex);
      if (IssuedCertificate.CA_PROFILE.equals(cert.profile())) {
        throw PkiException.forbidden("CA certificates cannot be revoked by self-service");
      }
      X509CertificateHolder holder = holder(cert);
      if (!req.signedBy(holder)) {
        throw PkiException.forbidden(
            "the request is not signed by the key of certificate %s", serialHex);
      }
      Instant now = clock.instant();
      if (Duration.between(st.time(), now).abs().compareTo(SELF_SERVICE_WINDOW) > 0) {
        throw PkiException.policy("rule self-service-fresh: statement time %s is more than %d"
            + " minutes from server time %s", st.time(), SELF_SERVICE_WINDOW.toMinutes(), now);
      }
      if (!store.useNonce(st.nonce(), st.serial(), now)) {
        throw PkiException.conflict("this revocation request was already used (replay)");
      }
      actor = "self-service:" + serialHex;
    } catch (PkiException e) {
      audit.record(actor, "cert.revoke.self", target, AuditLog.FAILURE, e.detail());
      throw e;
    }
    return revoke(new Requester(actor, false), serialHex, st.reason(), Optional.empty());
  }

  private void apply(IssuedCertificate cert, CertificateStatus.State from, CertificateStatus next,
      RevocationStore.Action action, String actor, Instant now) {
    if (!store.change(cert.caId(), cert.serial(), from, next, action, actor, now)) {
      throw PkiException.conflict("certificate %s changed status concurrently; retry",
          cert.serialHex());
    }
    for (RevocationListener l : listeners) {
      try {
        l.statusChanged(cert.caId(), cert.serial());
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(RevocationService.class)
            .warn("revocation listener failed", e);
      }
    }
  }

  private IssuedCertificate certificate(String serialHex) {
    BigInteger serial = IssuedCertificate.parseSerial(serialHex);
    return certificates.findBySerial(serial)
        .orElseThrow(() -> PkiException.notFound("no certificate with serial %s", serialHex));
  }

  private static X509CertificateHolder holder(IssuedCertificate cert) {
    try {
      return new X509CertificateHolder(cert.der().toByteArray());
    } catch (java.io.IOException e) {
      throw PkiException.internal(e, "stored certificate %s does not parse", cert.serialHex());
    }
  }
}
