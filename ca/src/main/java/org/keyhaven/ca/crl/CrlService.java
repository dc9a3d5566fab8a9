package org.keyhaven.ca.crl;

import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.CaRegistry;
import org.keyhaven.ca.issuance.CaUrls;
import org.keyhaven.ca.revocation.RevocationStore;
import org.keyhaven.ca.revocation.RevokedEntry;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.PkiException;

/**
 * Keeps each CA's full and delta CRL current. A CRL is regenerated when a revocation event is
 * newer than it (so a revocation shows in the very next CRL anyone fetches), when half its
 * validity has passed, or when asked by the scheduler. Generation for one CA is serialised in this
 * process and numbered through the database across processes.
 */
public final class CrlService {
  /** Validity of full and delta CRLs (RFC 5280 nextUpdate; SBR §4.9.7 caps it at 10 days). */
  public record Settings(Duration validity, Duration deltaValidity) {
    public static Settings defaults() {
      return new Settings(Duration.ofHours(24), Duration.ofHours(24));
    }
  }

  private final CaRegistry registry;
  private final RevocationStore revocations;
  private final CrlStore store;
  private final CaUrls urls;
  private final Settings settings;
  private final AuditLog audit;
  private final Clock clock;
  private final Map<String, StoredCrl> latest = new ConcurrentHashMap<>();
  private final Map<CaId, Object> locks = new ConcurrentHashMap<>();
  private final Map<CaId, StoredCrl> bases = new ConcurrentHashMap<>();

  public CrlService(CaRegistry registry, RevocationStore revocations, CrlStore store, CaUrls urls,
      Settings settings, AuditLog audit, Clock clock) {
    this.registry = registry;
    this.revocations = revocations;
    this.store = store;
    this.urls = urls;
    this.settings = settings;
    this.audit = audit;
    this.clock = clock;
  }

  /** The current CRL of {@code kind} for the CA, generating it first if it is stale. */
  public StoredCrl current(CaId ca, CrlKind kind) {
    if (registry.find(ca).isEmpty()) {
      throw PkiException.notFound("no CA '%s'", ca);
    }
    long watermark = revocations.latestEvent(ca);
    StoredCrl have = cached(ca, kind);
    if (kind == CrlKind.FULL ? fresh(have, watermark) : freshDelta(have, watermark, ca)) {
      return have;
    }
    synchronized (locks.computeIfAbsent(ca, k -> new Object())) {
      if (kind == CrlKind.FULL) {
        StoredCrl full = cached(ca, CrlKind.FULL);
        if (fresh(full, watermark)) {
          return full;
        }
        // A full CRL made because time passed (not because of a revocation) is a delta base.
        return generate(ca, CrlKind.FULL, null, full == null || halfLifePassed(full));
      }
      StoredCrl base = base(ca);
      StoredCrl delta = cached(ca, CrlKind.DELTA);
      if (delta != null && delta.eventWatermark() >= watermark && !halfLifePassed(delta)
          && delta.baseNumber().equals(base.number())) {
        return delta;
      }
      return generate(ca, CrlKind.DELTA, base, false);
    }
  }

  /** Regenerates both CRLs of every CA that needs it (the scheduler's tick). */
  public void refreshAll() {
    for (CaNode node : registry.all()) {
      try {
        refresh(node.id());
      } catch (PkiException e) {
        org.slf4j.LoggerFactory.getLogger(CrlService.class)
            .warn("CRL refresh for {} failed: {}", node.id(), e.detail());
      }
    }
  }

  /** Brings both CRLs of one CA up to date (after a revocation, and on schedule). */
  public void refresh(CaId ca) {
    current(ca, CrlKind.FULL);
    current(ca, CrlKind.DELTA);
  }

  private StoredCrl base(CaId ca) {
    StoredCrl base = bases.get(ca);
    if (base == null || halfLifePassed(base)) {
      base = store.latestBase(ca).orElse(null);
      if (base == null || halfLifePassed(base)) {
        base = generate(ca, CrlKind.FULL, null, true);
      }
      bases.put(ca, base);
    }
    return base;
  }

  private StoredCrl cached(CaId ca, CrlKind kind) {
    String key = ca.value() + "/" + kind.code();
    StoredCrl mem = latest.get(key);
    // Another process may have issued a newer CRL; the stored one wins if its number is higher.
    Optional<BigInteger> number = store.latestNumber(ca, kind);
    if (number.isPresent() && (mem == null || number.get().compareTo(mem.number()) > 0)) {
      Optional<StoredCrl> db = store.latest(ca, kind);
      db.ifPresent(c -> latest.put(key, c));
      return db.orElse(mem);
    }
    return mem;
  }

  private boolean fresh(StoredCrl crl, long watermark) {
    return crl != null && crl.eventWatermark() >= watermark && !halfLifePassed(crl);
  }

  private boolean freshDelta(StoredCrl delta, long watermark, CaId ca) {
    StoredCrl base = bases.get(ca);
    return fresh(delta, watermark) && base != null && !halfLifePassed(base)
        && delta.baseNumber().equals(base.number());
  }

  private boolean halfLifePassed(StoredCrl crl) {
    Duration validity = Duration.between(crl.thisUpdate(), crl.nextUpdate());
    return clock.instant().isAfter(crl.thisUpdate().plus(validity.dividedBy(2)));
  }

  private StoredCrl generate(CaId ca, CrlKind kind, StoredCrl base, boolean deltaBase) {
    Instant start = clock.instant();
    // The number is at least the time in milliseconds (as Boulder numbers its CRLs): the
    // sequence in the database alone would hand out a number again after the database lost
    // its newest rows (restored from a backup, or a crash losing a commit, see SECURITY.md),
    // and a relying party that saw the first CRL of that number would keep it.
    StoredCrl crl = store.issue(ca, start.toEpochMilli(), number -> {
      // Read the watermark before the entries: an event landing in between is in the entries
      // and re-read next time, never missed.
      long watermark = revocations.latestEvent(ca);
      List<RevokedEntry> entries = kind == CrlKind.FULL
          ? revocations.revoked(ca) : revocations.changedSince(ca, base.eventWatermark());
      Instant now = clock.instant();
      Duration validity = kind == CrlKind.FULL ? settings.validity() : settings.deltaValidity();
      BigInteger baseNumber = base == null ? BigInteger.ZERO : base.number();
      String url = kind == CrlKind.FULL ? urls.crl(ca) : deltaUrl(ca);
      CrlGenerator.Spec spec = new CrlGenerator.Spec(kind, number, baseNumber, now,
          now.plus(validity), url, deltaUrl(ca));
      byte[] der = CrlGenerator.generate(registry.signer(ca), spec, entries);
      return new StoredCrl(ca, number, kind, baseNumber, watermark, now, now.plus(validity),
          entries.size(), deltaBase, org.keyhaven.common.Bytes.copyOf(der));
    });
    latest.put(ca.value() + "/" + kind.code(), crl);
    if (deltaBase) {
      bases.put(ca, crl);
    }
    audit.record("system", "crl.generate", "crl/" + ca, AuditLog.SUCCESS, kind.code() + " #"
        + crl.number() + " " + crl.entries() + " entries in "
        + Duration.between(start, clock.instant()).toMillis() + " ms");
    return crl;
  }

  /** The delta CRL URL next to the full one: {@code <base>/crl/<ca>-delta.crl}. */
  public String deltaUrl(CaId ca) {
    String full = urls.crl(ca);
    return full.substring(0, full.length() - ".crl".length()) + "-delta.crl";
  }
}
