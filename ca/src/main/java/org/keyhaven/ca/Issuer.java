package org.keyhaven.ca;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.CaRegistry;
import org.keyhaven.ca.hierarchy.CaSigner;
import org.keyhaven.ca.issuance.IssuanceRequest;
import org.keyhaven.ca.issuance.SerialGenerator;
import org.keyhaven.ca.issuance.TbsBuilder;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.ca.store.CertificateStore;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

/**
 * Signs an accepted request, in recorded steps (docs/CA.md "Issuance cycle"): reserve the serial,
 * prepare the TBS, log intent, sign, store with the outbox event, log the result.
 */
final class Issuer {
  private final CaRegistry registry;
  private final CertificateStore store;
  private final SerialGenerator serials;
  private final TbsBuilder tbs;
  private final AuditLog audit;
  private final Clock clock;

  Issuer(CaRegistry registry, CertificateStore store, SerialGenerator serials, TbsBuilder tbs,
      AuditLog audit, Clock clock) {
    this.registry = registry;
    this.store = store;
    this.serials = serials;
    this.tbs = tbs;
    this.audit = audit;
    this.clock = clock;
  }

  IssuedCertificate issue(String actor, CaNode ca, IssuanceRequest req) {
    CaSigner signer = registry.signer(ca.id());
    X509CertificateHolder caCert = signer.certificate();
    // Step 1: validity, never past the issuer's notAfter.
    Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS);
    Instant notAfter = notBefore.plus(req.profile().validity(req.validityDays()));
    Instant caEnd = notAfter(ca.id(), caCert);
    if (notAfter.isAfter(caEnd)) {
      notAfter = caEnd;
    }
    if (!notAfter.isAfter(notBefore)) {
      throw PkiException.conflict("CA %s has expired", ca.id());
    }
    // Step 2: reserve a fresh serial durably before signing anything with it.
    BigInteger serial = reserve(ca, notBefore);
    String serialHex = IssuedCertificate.serialHex(serial);
    // Step 3: prepare the TBS certificate.
    var builder = tbs.build(req, new TbsBuilder.Issuing(ca.id(), ca.policy(), caCert,
        ca.policyOid(), serial, notBefore, notAfter));
    // Step 4: log intent, then sign.
    audit.record(actor, "cert.issue", ca.id() + "/" + serialHex, AuditLog.INTENT,
        req.describe());
    X509CertificateHolder cert;
    try {
      cert = builder.build(signer.newContentSigner());
    } catch (PkiException e) {
      audit.record(actor, "cert.issue", ca.id() + "/" + serialHex, AuditLog.FAILURE,
          e.kind().name());
      throw e;
    }
    Bytes der;
    try {
      der = Bytes.copyOf(cert.getEncoded());
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot encode certificate");
    }
    // Steps 5 and 6: store the certificate with its publication event (outbox) and log the
    // result; on the audit log's database, in one transaction that the log group-commits.
    IssuedCertificate issued = new IssuedCertificate(serial, ca.id(), req.profile().wireName(),
        cert.getSubject().toString(), req.emails(), notBefore, notAfter, der,
        CertificateStatus.GOOD, notBefore, actor);
    store.save(issued, new PublicationEvent(0, PublicationEvent.Kind.END_ENTITY_CERTIFICATE,
        ca.id().value(), serialHex, issued.subject(), req.emails(), der, notBefore), audit,
        actor, "cert.issue", ca.id() + "/" + serialHex, AuditLog.SUCCESS,
        req.profile().wireName());
    return issued;
  }

  private record CaEnd(X509CertificateHolder certificate, Instant notAfter) {}

  /** Each CA's certificate and its notAfter: decoding the date costs more than a lookup. */
  private final java.util.Map<org.keyhaven.ca.CaId, CaEnd> caEnds =
      new java.util.concurrent.ConcurrentHashMap<>();

  private Instant notAfter(org.keyhaven.ca.CaId id, X509CertificateHolder caCert) {
    CaEnd hit = caEnds.get(id);
    if (hit == null || hit.certificate() != caCert) {
      hit = new CaEnd(caCert, caCert.getNotAfter().toInstant());
      caEnds.put(id, hit);
    }
    return hit.notAfter();
  }

  /**
   * Serials are reserved in blocks of {@link #BLOCK}, one transaction per block, and handed out
   * from memory: still durably reserved before anything is signed with them and never used
   * twice. A crash forgets the rest of a block; those serials stay reserved and are never
   * issued (OCSP answers them "unknown").
   */
  static final int BLOCK = 16;

  private final java.util.Map<org.keyhaven.ca.CaId, java.util.concurrent.ConcurrentLinkedDeque<BigInteger>>
      reserved = new java.util.concurrent.ConcurrentHashMap<>();

  private BigInteger reserve(CaNode ca, Instant at) {
    var pool = reserved.computeIfAbsent(ca.id(),
        k -> new java.util.concurrent.ConcurrentLinkedDeque<>());
    BigInteger next = pool.poll();
    if (next != null) {
      return next;
    }
    java.util.List<BigInteger> block = new java.util.ArrayList<>(BLOCK);
    for (int i = 0; i < BLOCK; i++) {
      block.add(serials.next());
    }
    try {
      store.reserveSerials(ca.id(), block, at);
    } catch (PkiException e) {
      if (e.kind() != ErrorKind.CONFLICT && e.kind() != ErrorKind.INTERNAL) {
        throw e;
      }
      // A collision inside a block (a broken RNG) or a batch error: fall back to one at a time.
      return reserveOne(ca, at);
    }
    pool.addAll(block.subList(1, block.size()));
    return block.get(0);
  }

  private BigInteger reserveOne(CaNode ca, Instant at) {
    for (int attempt = 0; ; attempt++) {
      BigInteger s = serials.next();
      try {
        store.reserveSerial(ca.id(), s, at);
        return s;
      } catch (PkiException e) {
        // A collision of 128 random bits means a broken RNG; retry a few times, then fail loudly.
        if (e.kind() != ErrorKind.CONFLICT || attempt >= 3) {
          throw e.kind() == ErrorKind.CONFLICT
              ? PkiException.internal(e, "serial generator keeps colliding") : e;
        }
      }
    }
  }
}
