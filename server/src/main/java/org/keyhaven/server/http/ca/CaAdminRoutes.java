package org.keyhaven.server.http.ca;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import com.fasterxml.jackson.annotation.JsonAlias;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.keyhaven.ca.Approval;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.IssuanceOutcome;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.hierarchy.CaCreator;
import org.keyhaven.ca.hierarchy.CaImporter;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.keys.KeyAlgorithm;
import org.keyhaven.ca.store.CertificateQuery;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;
import org.keyhaven.server.auth.Actor;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.http.JsonBodies;
import org.keyhaven.server.http.RouteGroup;

/** CA administration and issuance: {@code /api/v1/cas}, certificates and approvals. */
public final class CaAdminRoutes implements RouteGroup {
  private final CertificateAuthority ca;

  public CaAdminRoutes(CertificateAuthority ca) {
    this.ca = ca;
  }

  /**
   * Body of {@code POST /api/v1/cas/{ca}/certificates}: a {@code csr}, or {@code keyGeneration}
   * with {@code subject}/{@code emails}/{@code dnsNames} for a server-generated key.
   */
  public record IssueBody(String csr, String profile, Integer validityDays,
      KeyGeneration keyGeneration, String subject, java.util.List<String> emails,
      java.util.List<String> dnsNames) {}

  /** Server-side key generation: key algorithm and the PKCS#12 passphrase. */
  public record KeyGeneration(String algorithm, String passphrase) {
    @Override
    public String toString() {
      return "KeyGeneration[" + algorithm + ", passphrase redacted]";
    }
  }

  /** Body of {@code POST /api/v1/cas}. */
  public record CreateCaBody(String id, String parent, String policy, String policyOid,
      String keyAlgorithm, String commonName, Integer pathLength, Integer validityDays,
      String keyStorage) {}

  /**
   * Body of {@code POST /api/v1/cas/import}: the CA's certificate and private key (PEM, or a
   * base64 PKCS#12), the passphrase of an encrypted key, and for a subordinate CA its external
   * chain (PEM, up to the root).
   */
  public record ImportCaBody(@JsonAlias("name") String id, String certificate, String key,
      String pkcs12, String passphrase, String chain, String policy, String policyOid) {
    @Override
    public String toString() {
      return "ImportCaBody[" + id + ", key, pkcs12 and passphrase redacted]";
    }
  }

  /** Body of {@code POST /api/v1/cas/{ca}/cross-certificates}: the external CA to certify. */
  public record CrossCertifyBody(String certificate, String csr, String policy, String policyOid,
      Integer pathLength, Integer validityDays) {}

  /** Body of {@code POST /api/v1/cas/{ca}/cross-certificates/import}. */
  public record AttachCrossBody(String certificate, String chain) {}

  /** Body of {@code POST /api/v1/approvals/{id}/reject}. */
  public record RejectBody(String reason) {}

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/cas", this::listCas, Role.ADMIN, Role.RA, Role.AUDITOR);
    routes.post("/api/v1/cas", this::createCa, Role.ADMIN);
    routes.post("/api/v1/cas/import", this::importCa, Role.ADMIN);
    routes.get("/api/v1/cas/{ca}", this::showCa, Role.ADMIN, Role.RA, Role.AUDITOR);
    routes.post("/api/v1/cas/{ca}/cross-certificates", this::crossCertify, Role.ADMIN);
    routes.post("/api/v1/cas/{ca}/cross-certificates/import", this::attachCross, Role.ADMIN);
    routes.post("/api/v1/cas/{ca}/certificates", this::issue, Role.ADMIN, Role.RA);
    routes.get("/api/v1/certificates", this::listCertificates, Role.ADMIN, Role.RA,
        Role.AUDITOR);
    routes.get("/api/v1/certificates/{serial}", this::showCertificate, Role.ADMIN, Role.RA,
        Role.AUDITOR);
    routes.get("/api/v1/approvals", this::listApprovals, Role.ADMIN, Role.AUDITOR);
    routes.post("/api/v1/approvals/{id}/approve", this::approve, Role.ADMIN);
    routes.post("/api/v1/approvals/{id}/reject", this::reject, Role.ADMIN);
  }

  private void listCas(Context ctx) {
    ctx.json(Map.of("cas", ca.cas().stream().map(n -> {
      Map<String, Object> m = CaJson.ca(n, false);
      m.put("crossCertificates", CaJson.summaries(ca.crossCertificates(n.id())));
      return m;
    }).toList()));
  }

  private void showCa(Context ctx) {
    ctx.json(caWithChain(CaId.of(ctx.pathParam("ca"))));
  }

  private Map<String, Object> caWithChain(CaId id) {
    Map<String, Object> out = CaJson.ca(ca.ca(id), true);
    out.put("chain", CaJson.pems(ca.chain(id)));
    out.put("crossCertificates", CaJson.pems(ca.crossCertificates(id)));
    return out;
  }

  private void importCa(Context ctx) {
    ImportCaBody b = JsonBodies.read(ctx, ImportCaBody.class);
    if (b.id() == null || b.id().isBlank()) {
      throw PkiException.malformed("id (the new CA's identifier) is required");
    }
    Bytes p12 = null;
    if (b.pkcs12() != null && !b.pkcs12().isBlank()) {
      try {
        p12 = Bytes.copyOf(Base64.getDecoder().decode(b.pkcs12().replaceAll("\\s", "")));
      } catch (IllegalArgumentException e) {
        throw PkiException.malformed("pkcs12 is not base64");
      }
    }
    CaImporter.ImportCa req = new CaImporter.ImportCa(CaId.of(b.id()), b.certificate(), b.key(),
        p12, b.passphrase() == null ? null : b.passphrase().toCharArray(), b.chain(),
        b.policy() == null ? null : PolicyKind.fromWire(b.policy()), b.policyOid());
    var node = ca.importCa(req, Actor.of(ctx).name());
    ctx.status(201).json(caWithChain(node.id()));
  }

  private void crossCertify(Context ctx) {
    CaId id = CaId.of(ctx.pathParam("ca"));
    CrossCertifyBody b = JsonBodies.read(ctx, CrossCertifyBody.class);
    IssuedCertificate cert = ca.crossCertify(new CaCreator.CrossCertify(id, b.certificate(),
        b.csr(), b.policy() == null ? null : PolicyKind.fromWire(b.policy()), b.policyOid(),
        b.pathLength(), b.validityDays()), Actor.of(ctx).name());
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("serial", cert.serialHex());
    m.put("certificate", cert.pem());
    m.put("chain", CaJson.pems(ca.chain(id)));
    ctx.status(201).json(m);
  }

  private void attachCross(Context ctx) {
    CaId id = CaId.of(ctx.pathParam("ca"));
    AttachCrossBody b = JsonBodies.read(ctx, AttachCrossBody.class);
    ca.attachCrossCertificate(id, b.certificate(), b.chain(), Actor.of(ctx).name());
    ctx.status(201).json(caWithChain(id));
  }

  private void createCa(Context ctx) {
    CreateCaBody b = JsonBodies.read(ctx, CreateCaBody.class);
    if (b.parent() == null || b.parent().isBlank()) {
      throw PkiException.malformed("parent is required (roots are made offline with the CLI)");
    }
    String storage = b.keyStorage() == null ? "software" : b.keyStorage();
    if (!storage.equals("software") && !storage.equals("pkcs11")) {
      throw PkiException.malformed("keyStorage must be software or pkcs11");
    }
    CaId parent = CaId.of(b.parent());
    PolicyKind kind = b.policy() == null ? ca.ca(parent).policy() : PolicyKind.fromWire(
        b.policy());
    var node = ca.create(new CaCreator.NewCa(CaId.of(b.id()), Optional.of(parent), kind,
        b.policyOid(), KeyAlgorithm.fromWire(b.keyAlgorithm() == null ? "ec-p384"
            : b.keyAlgorithm()), b.commonName(), b.pathLength(), b.validityDays(),
        storage.equals("pkcs11")), Actor.of(ctx).name());
    ctx.status(201).json(CaJson.ca(node, true));
  }

  private void issue(Context ctx) {
    CaId id = CaId.of(ctx.pathParam("ca"));
    IssueBody b = JsonBodies.read(ctx, IssueBody.class);
    if (b.keyGeneration() != null) {
      if (b.csr() != null) {
        throw PkiException.malformed("send either csr or keyGeneration, not both");
      }
      KeyGeneration g = b.keyGeneration();
      var gen = ca.issueWithGeneratedKey(Actor.of(ctx).name(), id, b.profile(), b.subject(),
          b.emails(), b.dnsNames(), KeyAlgorithm.fromWire(g.algorithm() == null ? "ec-p256"
              : g.algorithm()), g.passphrase() == null ? null : g.passphrase().toCharArray(),
          b.validityDays());
      Map<String, Object> m = issued(gen.issued());
      m.put("pkcs12", java.util.Base64.getEncoder().encodeToString(gen.pkcs12().toByteArray()));
      ctx.status(201).json(m);
      return;
    }
    IssuanceOutcome out = ca.issue(Actor.of(ctx).name(), id, b.csr(), b.profile(),
        b.validityDays());
    if (out instanceof IssuanceOutcome.Pending p) {
      Map<String, Object> m = CaJson.approval(p.approval());
      m.put("approval", p.approval().id());
      ctx.status(202).json(m);
      return;
    }
    ctx.status(201).contentType(io.javalin.http.ContentType.APPLICATION_JSON)
        .result(issuedJson((IssuanceOutcome.Issued) out));
  }

  /** An issuing CA's chain as a JSON array of PEM strings, and the DER it was rendered from. */
  private record ChainJson(List<Bytes> ders, String json) {}

  private final Map<CaId, ChainJson> chains = new ConcurrentHashMap<>();

  /**
   * The same object as {@link #issued}, written directly: the chain is the same for every
   * certificate of a CA, so its JSON is rendered once per CA (again when the chain changes).
   */
  private String issuedJson(IssuanceOutcome.Issued i) {
    CaId caId = i.certificate().caId();
    ChainJson chain = chains.get(caId);
    if (chain == null || !chain.ders().equals(i.chain())) {
      chain = new ChainJson(List.copyOf(i.chain()), jsonString(CaJson.pems(i.chain())));
      chains.put(caId, chain);
    }
    String pem = i.certificate().pem();
    StringBuilder out = new StringBuilder(pem.length() + chain.json().length() + 96);
    out.append("{\"serial\":").append(jsonString(i.certificate().serialHex()))
        .append(",\"certificate\":").append(jsonString(pem))
        .append(",\"chain\":").append(chain.json()).append('}');
    return out.toString();
  }

  private static String jsonString(Object value) {
    try {
      return JsonBodies.MAPPER.writeValueAsString(value);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw PkiException.internal(e, "cannot render JSON");
    }
  }

  static Map<String, Object> issued(IssuanceOutcome.Issued i) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("serial", i.certificate().serialHex());
    m.put("certificate", i.certificate().pem());
    m.put("chain", CaJson.pems(i.chain()));
    return m;
  }

  private void listCertificates(Context ctx) {
    String status = blankToNull(ctx.queryParam("status"));
    String caParam = blankToNull(ctx.queryParam("ca"));
    CertificateQuery q = new CertificateQuery(blankToNull(ctx.queryParam("email")),
        blankToNull(ctx.queryParam("subject")),
        status == null ? null : CertificateStatus.State.ofCode(status),
        caParam == null ? null : CaId.of(caParam), (int) intParam(ctx, "offset", 0),
        (int) intParam(ctx, "limit", 100));
    var page = ca.certificates(q);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("items", page.items().stream().map(c -> CaJson.certificate(c, false)).toList());
    out.put("nextOffset", page.nextOffset());
    ctx.json(out);
  }

  private void showCertificate(Context ctx) {
    String p = ctx.pathParam("serial");
    if (p.endsWith(".pem")) {
      IssuedCertificate c = ca.certificate(p.substring(0, p.length() - 4));
      ctx.contentType("application/pem-certificate-chain").result(c.pem());
    } else if (p.endsWith(".der")) {
      IssuedCertificate c = ca.certificate(p.substring(0, p.length() - 4));
      ctx.contentType("application/pkix-cert").result(c.der().toByteArray());
    } else {
      ctx.json(CaJson.certificate(ca.certificate(p), true));
    }
  }

  private void listApprovals(Context ctx) {
    String s = blankToNull(ctx.queryParam("status"));
    var list = ca.approvals(s == null ? null : Approval.Status.ofCode(s),
        (int) intParam(ctx, "limit", 100));
    ctx.json(Map.of("approvals", list.stream().map(CaJson::approval).toList()));
  }

  private void approve(Context ctx) {
    long id = approvalId(ctx);
    ctx.status(201).json(issued(ca.approve(Actor.of(ctx).name(), id)));
  }

  private void reject(Context ctx) {
    long id = approvalId(ctx);
    String reason = null;
    if (ctx.bodyAsBytes().length > 0) {
      reason = JsonBodies.read(ctx, RejectBody.class).reason();
    }
    ctx.json(CaJson.approval(ca.reject(Actor.of(ctx).name(), id, reason)));
  }

  private static long approvalId(Context ctx) {
    try {
      return Long.parseLong(ctx.pathParam("id"));
    } catch (NumberFormatException e) {
      throw PkiException.malformed("approval id must be a whole number");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }

  private static long intParam(Context ctx, String name, long dflt) {
    String v = ctx.queryParam(name);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long n = Long.parseLong(v);
      if (n < 0 || n > Integer.MAX_VALUE) {
        throw new NumberFormatException();
      }
      return n;
    } catch (NumberFormatException e) {
      throw PkiException.malformed("query parameter '%s' must be a whole number", name);
    }
  }
}
