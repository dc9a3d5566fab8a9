package org.keyhaven.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.keyhaven.ca.Approval;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.IssuanceOutcome;
import org.keyhaven.ca.hierarchy.CaCreator;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.keys.KeyAlgorithm;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.ca.revocation.RevocationService;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.auth.Actor;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.http.RouteGroup;

/**
 * Admin console pages of the CA: issue from an uploaded CSR, revoke with a reason, decide pending
 * high-assurance approvals, create a CA. The same domain calls as the REST API, so the same
 * policies, roles and audit entries apply.
 */
public final class CaConsolePages implements RouteGroup {
  private final Pages pages;
  private final WebSessions sessions;
  private final CertificateAuthority ca;
  private final RevocationService revocations;

  public CaConsolePages(Pages pages, WebSessions sessions, CertificateAuthority ca,
      RevocationService revocations) {
    this.pages = pages;
    this.sessions = sessions;
    this.ca = ca;
    this.revocations = revocations;
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/admin/ca", ctx -> page(ctx, null, null), ConsoleAccess.RA);
    routes.post("/admin/ca/issue", this::issue, ConsoleAccess.RA);
    routes.post("/admin/ca/revoke", this::revoke, ConsoleAccess.RA);
    routes.post("/admin/ca/create", this::create, ConsoleAccess.ADMIN);
    routes.get("/admin/approvals", ctx -> approvals(ctx, null), ConsoleAccess.ADMIN);
    routes.post("/admin/approvals/{id}/approve", this::approve, ConsoleAccess.ADMIN);
    routes.post("/admin/approvals/{id}/reject", this::reject, ConsoleAccess.ADMIN);
  }

  /** What the last form did: a message, and a link to what it made. */
  public record Result(boolean ok, String message, String link, String pem) {}

  private void page(Context ctx, Result result, String error) {
    Map<String, Object> p = base(ctx);
    p.put("cas", ca.cas());
    p.put("result", result);
    p.put("error", error);
    p.put("reasons", RevocationReason.values());
    p.put("policies", PolicyKind.values());
    pages.render(ctx, "ca-console.jte", p);
  }

  private void issue(Context ctx) {
    Actor actor = ConsoleGuard.actor(ctx);
    try {
      IssuanceOutcome out = ca.issue(actor.name(), CaId.of(required(ctx, "ca")), required(ctx, "csr"),
          required(ctx, "profile"), null);
      if (out instanceof IssuanceOutcome.Issued issued) {
        var c = issued.certificate();
        page(ctx, new Result(true, "Issued certificate " + c.serialHex() + " to " + c.subject(),
            "/certs/" + c.serialHex(), c.pem()), null);
      } else if (out instanceof IssuanceOutcome.Pending pending) {
        page(ctx, new Result(true, "High-assurance request " + pending.approval().id()
            + " waits for approval by a second admin", "/admin/approvals", null), null);
      }
    } catch (PkiException e) {
      ctx.status(org.keyhaven.server.http.ErrorMapping.status(e.kind()));
      page(ctx, null, e.detail());
    }
  }

  private void revoke(Context ctx) {
    Actor actor = ConsoleGuard.actor(ctx);
    try {
      RevocationReason reason = RevocationReason.fromRfcName(required(ctx, "reason"));
      var cert = revocations.revoke(new RevocationService.Requester(actor.name(), actor.role() == Role.ADMIN),
          required(ctx, "serial").toLowerCase(Locale.ROOT), reason, Optional.empty());
      page(ctx, new Result(true, "Revoked " + cert.serialHex() + " (" + reason.rfcName() + ")",
          "/certs/" + cert.serialHex(), null), null);
    } catch (PkiException e) {
      ctx.status(org.keyhaven.server.http.ErrorMapping.status(e.kind()));
      page(ctx, null, e.detail());
    }
  }

  private void create(Context ctx) {
    Actor actor = ConsoleGuard.actor(ctx);
    try {
      String parent = ctx.formParam("parent");
      var node = ca.create(new CaCreator.NewCa(CaId.of(required(ctx, "id")),
          parent == null || parent.isBlank() ? Optional.empty() : Optional.of(CaId.of(parent)),
          PolicyKind.fromWire(required(ctx, "policy")), null, KeyAlgorithm.EC_P384, null, null, null,
          false), actor.name());
      page(ctx, new Result(true, "Created CA " + node.id(), "/cas", null), null);
    } catch (PkiException e) {
      ctx.status(org.keyhaven.server.http.ErrorMapping.status(e.kind()));
      page(ctx, null, e.detail());
    }
  }

  private void approvals(Context ctx, Result result) {
    Map<String, Object> p = base(ctx);
    p.put("pending", ca.approvals(Approval.Status.PENDING, 100));
    p.put("result", result);
    pages.render(ctx, "approvals.jte", p);
  }

  private void approve(Context ctx) {
    Actor actor = ConsoleGuard.actor(ctx);
    long id = id(ctx);
    try {
      var issued = ca.approve(actor.name(), id);
      var c = issued.certificate();
      approvals(ctx, new Result(true, "Approved " + id + ": issued " + c.serialHex(), "/certs/" + c.serialHex(), null));
    } catch (PkiException e) {
      ctx.status(org.keyhaven.server.http.ErrorMapping.status(e.kind()));
      approvals(ctx, new Result(false, e.detail(), null, null));
    }
  }

  private void reject(Context ctx) {
    Actor actor = ConsoleGuard.actor(ctx);
    long id = id(ctx);
    ca.reject(actor.name(), id, Optional.ofNullable(ctx.formParam("reason")).orElse("rejected in console"));
    approvals(ctx, new Result(true, "Rejected request " + id, null, null));
  }

  private static long id(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw PkiException.malformed("approval id must be a number");
    }
  }

  private static String required(Context ctx, String name) {
    String v = ctx.formParam(name);
    if (v == null || v.isBlank()) {
      throw PkiException.malformed("the form field '%s' is required", name);
    }
    return v;
  }

  private Map<String, Object> base(Context ctx) {
    Map<String, Object> p = new HashMap<>();
    p.put("nav", Pages.nav(ctx, sessions));
    return p;
  }
}
