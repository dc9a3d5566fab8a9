package org.keyhaven.server.http.revocation;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.ca.revocation.RevocationService;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.auth.Actor;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.http.JsonBodies;
import org.keyhaven.server.http.RouteGroup;

/**
 * {@code POST /api/v1/certificates/{serial}/revoke} and {@code …/release} for admins and RAs, and
 * the public self-service {@code POST /api/v1/revocation-requests} (a CMS SignedData by the
 * certificate's own key; see docs/REVOCATION.md).
 */
public final class RevocationRoutes implements RouteGroup {
  private final RevocationService revocations;

  public RevocationRoutes(RevocationService revocations) {
    this.revocations = revocations;
  }

  /** Body of the revoke call; {@code reason} defaults to unspecified. */
  public record RevokeBody(String reason, String invalidityDate) {}

  @Override
  public void register(RoutesConfig routes) {
    routes.post("/api/v1/certificates/{serial}/revoke", this::revoke, Role.ADMIN, Role.RA);
    routes.post("/api/v1/certificates/{serial}/release", this::release, Role.ADMIN, Role.RA);
    routes.post("/api/v1/revocation-requests", this::selfService);
  }

  private void revoke(Context ctx) {
    RevokeBody b = ctx.body().isBlank() ? new RevokeBody(null, null)
        : JsonBodies.read(ctx, RevokeBody.class);
    RevocationReason reason = b.reason() == null ? RevocationReason.UNSPECIFIED
        : RevocationReason.fromRfcName(b.reason());
    Optional<Instant> invalidity = Optional.empty();
    if (b.invalidityDate() != null) {
      try {
        invalidity = Optional.of(java.time.OffsetDateTime.parse(b.invalidityDate()).toInstant());
      } catch (DateTimeParseException e) {
        throw PkiException.malformed("invalidityDate must be RFC 3339, e.g. 2026-11-24T15:00:00Z");
      }
    }
    ctx.json(json(revocations.revoke(requester(ctx), ctx.pathParam("serial"), reason,
        invalidity)));
  }

  private void release(Context ctx) {
    ctx.json(json(revocations.release(requester(ctx), ctx.pathParam("serial"))));
  }

  private void selfService(Context ctx) {
    ctx.json(json(revocations.selfService(ctx.bodyAsBytes())));
  }

  private static RevocationService.Requester requester(Context ctx) {
    Actor a = Actor.of(ctx);
    return new RevocationService.Requester(a.name(), a.has(Role.ADMIN));
  }

  static Map<String, Object> json(IssuedCertificate c) {
    Map<String, Object> m = new LinkedHashMap<>();
    CertificateStatus s = c.status();
    m.put("serial", c.serialHex());
    m.put("ca", c.caId().value());
    m.put("subject", c.subject());
    m.put("status", s.state().code());
    if (s.reasonCode() != null) {
      m.put("reason", RevocationReason.ofCode(s.reasonCode()).rfcName());
    }
    if (s.revokedAt() != null) {
      m.put("revokedAt", s.revokedAt().toString());
    }
    if (s.invalidityDate() != null) {
      m.put("invalidityDate", s.invalidityDate().toString());
    }
    return m;
  }
}
