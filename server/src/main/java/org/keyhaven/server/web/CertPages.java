package org.keyhaven.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.crl.StoredCrl;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.ca.store.CertificateQuery;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.http.RouteGroup;

/**
 * Public certificate pages: search by email with status (good, revoked with reason, expired),
 * a page per certificate with PEM/DER downloads and its chain, and the CA hierarchy as a tree
 * with policies, CA certificate and CRL downloads and CRL freshness.
 */
public final class CertPages implements RouteGroup {
  private final Pages pages;
  private final WebSessions sessions;
  private final CertificateAuthority ca;
  private final Clock clock;
  private final Function<CaId, Optional<StoredCrl>> currentCrl;

  public CertPages(Pages pages, WebSessions sessions, CertificateAuthority ca, Clock clock,
      Function<CaId, Optional<StoredCrl>> currentCrl) {
    this.pages = pages;
    this.sessions = sessions;
    this.ca = ca;
    this.clock = clock;
    this.currentCrl = currentCrl;
  }

  /** A certificate as a page shows it. */
  public record CertView(IssuedCertificate cert, String serial, String status, boolean good) {}

  /** One CA in the tree: depth for indentation, and its current CRL if one was made. */
  public record CaView(CaNode node, int depth, String subject, StoredCrl crl, boolean crlFresh) {}

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/certs", this::search);
    routes.get("/certs/{serial}", this::cert);
    routes.get("/certs/{serial}/certificate.pem", ctx -> ctx.contentType("application/x-pem-file")
        .result(ca.certificate(ctx.pathParam("serial")).pem()));
    routes.get("/certs/{serial}/certificate.der", ctx -> ctx.contentType("application/pkix-cert")
        .result(ca.certificate(ctx.pathParam("serial")).der().toByteArray()));
    routes.get("/cas", this::cas);
  }

  private void search(Context ctx) {
    String email = ctx.queryParam("email");
    Map<String, Object> p = base(ctx);
    p.put("email", email == null ? "" : email);
    List<CertView> results = List.of();
    if (email != null && !email.isBlank()) {
      if (email.length() > 254 || !email.contains("@")) {
        throw PkiException.malformed("enter a whole email address, such as alice@example.org");
      }
      results = ca.certificates(new CertificateQuery(email.strip(), null, null, null, 0, 100))
          .items().stream().filter(c -> !IssuedCertificate.CA_PROFILE.equals(c.profile()))
          .map(this::view).toList();
    }
    p.put("results", results);
    p.put("searched", email != null && !email.isBlank());
    pages.render(ctx, "certs.jte", p);
  }

  private void cert(Context ctx) {
    IssuedCertificate c = ca.certificate(ctx.pathParam("serial"));
    Map<String, Object> p = base(ctx);
    p.put("c", view(c));
    p.put("chain", ca.chain(c.caId()).stream().map(b -> IssuedCertificate.pem("CERTIFICATE", b.toByteArray())).toList());
    p.put("pem", c.pem());
    pages.render(ctx, "cert.jte", p);
  }

  private void cas(Context ctx) {
    List<CaNode> all = ca.cas();
    List<CaView> tree = new ArrayList<>();
    for (CaNode n : all) {
      if (n.parent().isEmpty()) { // roots and imported subordinates head a tree
        addSubtree(n, 0, all, tree);
      }
    }
    Map<String, Object> p = base(ctx);
    p.put("cas", tree);
    pages.render(ctx, "cas.jte", p);
  }

  private void addSubtree(CaNode n, int depth, List<CaNode> all, List<CaView> out) {
    StoredCrl crl = null;
    try {
      crl = currentCrl.apply(n.id()).orElse(null);
    } catch (PkiException e) {
      // no CRL yet for this CA: shown as such
    }
    boolean fresh = crl != null && crl.nextUpdate().isAfter(clock.instant());
    out.add(new CaView(n, depth, n.subject().toString(), crl, fresh));
    for (CaNode c : all) {
      if (c.parent().isPresent() && c.parent().get().equals(n.id()) && !c.id().equals(n.id())) {
        addSubtree(c, depth + 1, all, out);
      }
    }
  }

  CertView view(IssuedCertificate c) {
    CertificateStatus s = c.status();
    Instant now = clock.instant();
    String status;
    if (s.state() == CertificateStatus.State.REVOKED) {
      status = "revoked (" + reason(s.reasonCode()) + ", " + s.revokedAt() + ")";
    } else if (s.state() == CertificateStatus.State.HOLD) {
      status = "on hold since " + s.revokedAt();
    } else if (c.notAfter().isBefore(now)) {
      status = "expired " + c.notAfter();
    } else {
      status = "good";
    }
    return new CertView(c, c.serialHex(), status, status.equals("good"));
  }

  static String reason(Integer code) {
    if (code == null) {
      return "unspecified";
    }
    try {
      return RevocationReason.ofCode(code).rfcName();
    } catch (RuntimeException e) {
      return "reason " + code;
    }
  }

  private Map<String, Object> base(Context ctx) {
    Map<String, Object> p = new HashMap<>();
    p.put("nav", Pages.nav(ctx, sessions));
    return p;
  }
}
