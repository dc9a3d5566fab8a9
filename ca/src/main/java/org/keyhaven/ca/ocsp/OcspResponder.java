package org.keyhaven.ca.ocsp;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x509.CRLReason;
import org.keyhaven.ca.CaId;
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
  /** Pre-signed answers by "ca/serial", then by CertID DER (several hash algorithms). */
  private final Map<String, Map<Bytes, OcspAnswer>> cache = new ConcurrentHashMap<>();
  private final AtomicLong cached = new AtomicLong();
  /**
   * The same pre-signed answers by the request exactly as it arrived (a GET path's base64), so
   * that a repeated GET is answered without decoding it. An entry is only as good as the entry
   * of {@link #cache} it points at: a revocation or clear replaces that, and the hit is refused.
   */
  private final Map<String, RawHit> byRawRequest = new ConcurrentHashMap<>();
  private final Map<CaId, OcspResponseEncoder> encoders = new ConcurrentHashMap<>();

  private record RawHit(String serialKey, Map<Bytes, OcspAnswer> bucket, Bytes certId,
      OcspAnswer answer) {}

  /**
   * Known statuses (good, revoked, on hold; never unknown, which may be issued a moment later)
   * by "ca/serial", so that an answer that must be signed (every request with a nonce) costs
   * no database read once its serial has been asked for. Invalidated exactly like the
   * pre-signed answers, under the same epoch.
   */
  private final Map<String, OcspResponseEncoder.Status> statuses = new ConcurrentHashMap<>();

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
    String serialKey = key(ca, only.serial());
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
    OcspResponseEncoder encoder = encoder(ca, responder);
    List<OcspResponseEncoder.Single> singles = new ArrayList<>(req.certIds().size());
    boolean allKnown = true;
    for (OcspRequest.CertId id : req.certIds()) {
      OcspResponseEncoder.Status status = cachedStatus(ca, id.serial());
      allKnown &= !(status instanceof OcspResponseEncoder.Unknown);
      singles.add(new OcspResponseEncoder.Single(id.encoded(), status));
    }
    // RFC 8954 §2.1 / RFC 6960 §4.4.1: the nonce is echoed exactly as sent.
    byte[] der = encoder.encode(singles, now, now, next, req.nonceExtension().orElse(null));
    // An unknown serial may be issued a moment later; never keep "unknown" around.
    return new Signed(OcspAnswer.of(der, now, next), allKnown);
  }

  /** The direct encoder for this CA's current responder, made once per responder. */
  private OcspResponseEncoder encoder(CaId ca, DelegatedResponders.Responder responder) {
    OcspResponseEncoder e = encoders.get(ca);
    if (e == null || e.responder() != responder) {
      e = OcspResponseEncoder.forResponder(responder);
      encoders.put(ca, e);
    }
    return e;
  }

  /** The key of {@link #cache} and {@link #statuses}: "ca/serial in hex". */
  private static String key(CaId ca, BigInteger serial) {
    return ca.value() + "/" + serial.toString(16);
  }

  /** {@link #status}, remembered when known (see {@link #statuses}). */
  private OcspResponseEncoder.Status cachedStatus(CaId ca, BigInteger serial) {
    String key = key(ca, serial);
    OcspResponseEncoder.Status s = statuses.get(key);
    if (s != null) {
      return s;
    }
    long seen = epoch.get();
    s = status(ca, serial);
    if (!(s instanceof OcspResponseEncoder.Unknown) && epoch.get() == seen) {
      if (statuses.size() >= settings.maxCached()) {
        statuses.clear();
      }
      statuses.put(key, s);
      // statusChanged bumps the epoch before it removes: a change that landed after the read
      // either stopped the put above or is seen here.
      if (epoch.get() != seen) {
        statuses.remove(key);
      }
    }
    return s;
  }

  /** good / revoked(time, reason) / unknown from the issuance database (an allowlist). */
  private OcspResponseEncoder.Status status(CaId ca, BigInteger serial) {
    Optional<org.keyhaven.ca.store.CertificateStatus> found = certificates.status(ca, serial);
    if (found.isEmpty()) {
      return new OcspResponseEncoder.Unknown();
    }
    org.keyhaven.ca.store.CertificateStatus s = found.get();
    switch (s.state()) {
      case GOOD:
        return new OcspResponseEncoder.Good();
      case HOLD:
        return new OcspResponseEncoder.Revoked(s.revokedAt(), CRLReason.certificateHold);
      default:
        Integer code = s.reasonCode();
        return new OcspResponseEncoder.Revoked(s.revokedAt(), code == null ? -1 : code);
    }
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
    String key = key(issuer, serial);
    cache.remove(key);
    statuses.remove(key);
  }

  /** Drops every pre-signed answer (responder rotation, or the cache grew too big). */
  public void clear() {
    epoch.incrementAndGet();
    cache.clear();
    statuses.clear();
    byRawRequest.clear();
    cached.set(0);
  }
}
