package org.keyhaven.ca.ocsp;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.revocation.RevocationListener;
import org.keyhaven.ca.store.CertificateStore;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers OCSP requests for every CA of this server behind one URL (RFC 6960, RFC 5019 profile).
 * Never throws: decoding problems are malformedRequest, foreign issuers unauthorized, our own
 * failures internalError or tryLater. Nonce-less single requests are answered from a cache of
 * pre-signed responses that a revocation invalidates at once (it is a {@link RevocationListener}).
 */
public final class OcspResponder implements RevocationListener {
  private static final Logger LOG = LoggerFactory.getLogger(OcspResponder.class);

  /** Response validity and how long a pre-signed response is served before re-signing. */
  public record Settings(Duration validity, Duration cacheFor, int maxCached) {
    public static Settings defaults() {
      // SBR §4.9.10: validity between 8 h and 10 d; refresh well before half of it.
      return new Settings(Duration.ofHours(24), Duration.ofHours(1), 500_000);
    }
  }

  private final IssuerIndex issuers;
  private final CertificateStore certificates;
  private final DelegatedResponders responders;
  private final Settings settings;
  private final Clock clock;
  private final DigestCalculatorProvider digests = new BcDigestCalculatorProvider();
  /** Pre-signed answers by "ca/serial", then by CertID DER (several hash algorithms). */
  private final Map<String, Map<Bytes, OcspAnswer>> cache = new ConcurrentHashMap<>();
  private final AtomicLong cached = new AtomicLong();
  /**
   * The same pre-signed answers by the request exactly as it arrived (a GET path's base64), so
   * that a repeated GET is answered without decoding it. An entry is only as good as the entry
   * of {@link #cache} it points at: a revocation or clear replaces that, and the hit is refused.
   */
  private final Map<String, RawHit> byRawRequest = new ConcurrentHashMap<>();

  private record RawHit(String serialKey, Map<Bytes, OcspAnswer> bucket, Bytes certId,
      OcspAnswer answer) {}

  /** Bumped by every invalidation so a response signed across one is not cached (a race). */
  private final AtomicLong epoch = new AtomicLong();

  public OcspResponder(IssuerIndex issuers, CertificateStore certificates,
      DelegatedResponders responders, Settings settings, Clock clock) {
    this.issuers = issuers;
    this.certificates = certificates;
    this.responders = responders;
    this.settings = settings;
    this.clock = clock;
    responders.onRotation(this::clear);
  }

  /** Decodes and answers; the result is always a complete OCSPResponse. */
  public OcspAnswer respond(byte[] requestDer) {
    return respond(requestDer, null);
  }

  /**
   * Decodes and answers, and remembers a pre-signed answer under {@code rawRequest} (the request
   * as it arrived, e.g. the GET path's base64) for {@link #cachedForRawRequest}.
   */
  public OcspAnswer respond(byte[] requestDer, String rawRequest) {
    try {
      return respond(OcspRequestDecoder.decode(requestDer), rawRequest);
    } catch (PkiException e) {
      return error(e);
    } catch (RuntimeException e) {
      LOG.error("OCSP responder failure", e);
      return OcspErrors.Status.INTERNAL_ERROR.answer();
    }
  }

  /**
   * The pre-signed answer for a request seen before in exactly this form, if it is still the
   * current one (not revoked since, not due for re-signing); null otherwise.
   */
  public OcspAnswer cachedForRawRequest(String rawRequest) {
    RawHit h = byRawRequest.get(rawRequest);
    if (h == null) {
      return null;
    }
    if (cache.get(h.serialKey) != h.bucket || h.bucket.get(h.certId) != h.answer
        || !h.answer.thisUpdate().get().plus(settings.cacheFor()).isAfter(clock.instant())) {
      byRawRequest.remove(rawRequest, h);
      return null;
    }
    return h.answer;
  }

  public OcspAnswer respond(OcspRequest req) {
    return respond(req, null);
  }

  private OcspAnswer respond(OcspRequest req, String rawRequest) {
    CaId ca = null;
    for (OcspRequest.CertId id : req.certIds()) {
      Optional<CaId> found = IssuerIndex.supported(id.hashAlgorithm())
          ? issuers.find(id) : Optional.empty();
      // RFC 6960 §2.3: unauthorized when we are not authoritative for the issuer; one response
      // is signed by one CA's responder, so mixed issuers are refused the same way.
      if (found.isEmpty() || (ca != null && !ca.equals(found.get()))) {
        return OcspErrors.Status.UNAUTHORIZED.answer();
      }
      ca = found.get();
    }
    boolean cacheable = req.nonceExtension().isEmpty() && req.certIds().size() == 1;
    OcspRequest.CertId only = req.certIds().get(0);
    String serialKey = ca.value() + "/" + only.serial().toString(16);
    Instant now = clock.instant();
    if (cacheable) {
      OcspAnswer hit = cache.getOrDefault(serialKey, Map.of()).get(only.encoded());
      if (hit != null && hit.thisUpdate().get().plus(settings.cacheFor()).isAfter(now)) {
        remember(rawRequest, serialKey, only.encoded(), hit);
        return hit;
      }
    }
    long seen = epoch.get();
    Signed signed = sign(ca, req, now);
    if (cacheable && signed.cacheable && epoch.get() == seen) {
      if (cached.incrementAndGet() > settings.maxCached()) {
        clear();
      }
      cache.computeIfAbsent(serialKey, k -> new ConcurrentHashMap<>())
          .put(only.encoded(), signed.answer);
      if (epoch.get() != seen) {
        cache.remove(serialKey);
      } else {
        remember(rawRequest, serialKey, only.encoded(), signed.answer);
      }
    }
    return signed.answer;
  }

  private void remember(String rawRequest, String serialKey, Bytes certId, OcspAnswer answer) {
    Map<Bytes, OcspAnswer> bucket = cache.get(serialKey);
    if (rawRequest == null || bucket == null || bucket.get(certId) != answer) {
      return;
    }
    if (byRawRequest.size() >= settings.maxCached()) {
      byRawRequest.clear();
    }
    byRawRequest.put(rawRequest, new RawHit(serialKey, bucket, certId, answer));
  }

  private record Signed(OcspAnswer answer, boolean cacheable) {}

  private Signed sign(CaId ca, OcspRequest req, Instant now) {
    DelegatedResponders.Responder responder = responders.forCa(ca);
    Instant next = now.plus(settings.validity());
    if (next.isAfter(responder.notAfter())) {
      next = responder.notAfter();
    }
    try {
      BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(
          new RespID(responder.certificate().getSubjectPublicKeyInfo(),
              digests.get(RespID.HASH_SHA1)));
      boolean allKnown = true;
      for (OcspRequest.CertId id : req.certIds()) {
        CertificateStatus status = status(ca, id.serial());
        allKnown &= !(status instanceof UnknownStatus);
        b.addResponse(id.toCertificateId(), status, Date.from(now), Date.from(next), null);
      }
      if (req.nonceExtension().isPresent()) {
        // RFC 8954 §2.1 / RFC 6960 §4.4.1: echo the nonce exactly as sent.
        b.setResponseExtensions(new Extensions(new Extension(
            OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
            req.nonceExtension().get().toByteArray())));
      }
      X509CertificateHolder[] chain = new X509CertificateHolder[responder.chain().size() + 1];
      chain[0] = responder.certificate();
      for (int i = 0; i < responder.chain().size(); i++) {
        chain[i + 1] = responder.chain().get(i);
      }
      // The responder key is a BouncyCastle key (see DelegatedResponders): BouncyCastle signs
      // P-256 several times faster than SunEC on JDK 17; this is the per-request cost of every
      // answer with a nonce.
      BasicOCSPResp basic = b.build(new JcaContentSignerBuilder("SHA256withECDSA")
          .setProvider(org.keyhaven.ca.keys.BcProvider.INSTANCE)
          .build(responder.key().getPrivate()), chain, Date.from(now));
      byte[] der = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, basic).getEncoded();
      // An unknown serial may be issued a moment later; never keep "unknown" around.
      return new Signed(OcspAnswer.of(der, now, next), allKnown);
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.internal(e, "OCSP signing failed for %s", ca);
    }
  }

  /** good / revoked(time, reason) / unknown from the issuance database (an allowlist). */
  private CertificateStatus status(CaId ca, BigInteger serial) {
    Optional<IssuedCertificate> cert = certificates.find(ca, serial);
    if (cert.isEmpty()) {
      return new UnknownStatus();
    }
    org.keyhaven.ca.store.CertificateStatus s = cert.get().status();
    switch (s.state()) {
      case GOOD:
        return CertificateStatus.GOOD;
      case HOLD:
        return revoked(s.revokedAt(), CRLReason.certificateHold);
      default:
        Integer code = s.reasonCode();
        return revoked(s.revokedAt(), code == null ? -1 : code);
    }
  }

  private static RevokedStatus revoked(Instant at, int reason) {
    // RFC 5280 §5.3.1 / SBR §7.2.2: unspecified is expressed by leaving the reason out.
    CRLReason r = reason <= 0 ? null : CRLReason.lookup(reason);
    return new RevokedStatus(new RevokedInfo(new ASN1GeneralizedTime(Date.from(at)), r));
  }

  private static OcspAnswer error(PkiException e) {
    ErrorKind k = e.kind();
    if (k == ErrorKind.MALFORMED || k == ErrorKind.UNSUPPORTED || k == ErrorKind.TOO_LARGE) {
      return OcspErrors.Status.MALFORMED_REQUEST.answer();
    }
    if (k == ErrorKind.NOT_FOUND || k == ErrorKind.FORBIDDEN) {
      return OcspErrors.Status.UNAUTHORIZED.answer();
    }
    if (k == ErrorKind.UNAVAILABLE || k == ErrorKind.RATE_LIMITED) {
      return OcspErrors.Status.TRY_LATER.answer();
    }
    LOG.error("OCSP internal error: {}", e.detail(), e);
    return OcspErrors.Status.INTERNAL_ERROR.answer();
  }

  @Override
  public void statusChanged(CaId issuer, BigInteger serial) {
    epoch.incrementAndGet();
    cache.remove(issuer.value() + "/" + serial.toString(16));
  }

  /** Drops every pre-signed answer (responder rotation, or the cache grew too big). */
  public void clear() {
    epoch.incrementAndGet();
    cache.clear();
    byRawRequest.clear();
    cached.set(0);
  }
}
