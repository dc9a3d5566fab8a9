package org.keyhaven.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyId;
import org.keyhaven.keyserver.KeyLookup;
import org.keyhaven.keyserver.KeyQuery;
import org.keyhaven.keyserver.KeySubmission;
import org.keyhaven.keyserver.StoredKeyring;
import org.keyhaven.keyserver.SubmissionResult;
import org.keyhaven.server.http.RouteGroup;

/**
 * The keyserver as pages: search by email, name, key ID or fingerprint; a page per key with its
 * user IDs and a download; an upload form with the same checks as {@code /pks/add}. No
 * JavaScript needed.
 */
public final class KeyPages implements RouteGroup {
  private final Pages pages;
  private final WebSessions sessions;
  private final KeyLookup lookup;
  private final KeySubmission submission;
  private final Clock clock;
  private final Function<String, String> validity;
  private Function<String, List<Certifier>> certifiers = fpr -> List.of();

  /** One third-party certification on a key, as the key page lists it. */
  public record Certifier(String signer, String userId, String certified) {}

  /** Lists the verified certifications on a key (from the web of trust's graph). */
  public KeyPages withCertifiers(Function<String, List<Certifier>> certifiers) {
    this.certifiers = certifiers;
    return this;
  }

  /**
   * @param validity web-of-trust validity of a key (by upper-case fingerprint) from the server's
   *     trust root, or null where none is configured
   */
  public KeyPages(Pages pages, WebSessions sessions, KeyLookup lookup, KeySubmission submission,
      Clock clock, Function<String, String> validity) {
    this.pages = pages;
    this.sessions = sessions;
    this.lookup = lookup;
    this.submission = submission;
    this.clock = clock;
    this.validity = validity;
  }

  /** One key as a page shows it. */
  public record KeyView(StoredKeyring key, String fingerprint, String keyId, String algorithm,
      String status, String validity) {}

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/keys", this::search);
    routes.get("/keys/{fingerprint}", this::key);
    routes.get("/keys/{fingerprint}/download", this::download);
    routes.post("/keys/upload", this::upload);
  }

  private void search(Context ctx) {
    String q = ctx.queryParam("q");
    Map<String, Object> p = base(ctx);
    p.put("q", q == null ? "" : q);
    List<KeyView> results = List.of();
    String error = null;
    if (q != null && !q.isBlank()) {
      try {
        results = lookup.find(query(q.strip())).stream().map(this::view).toList();
      } catch (PkiException e) {
        error = e.detail();
        ctx.status(400);
      }
    }
    p.put("results", results);
    p.put("error", error);
    p.put("searched", q != null && !q.isBlank());
    pages.render(ctx, "keys.jte", p);
  }

  private void key(Context ctx) {
    StoredKeyring k = byFingerprint(ctx.pathParam("fingerprint"));
    Map<String, Object> p = base(ctx);
    p.put("key", view(k));
    p.put("certifiers", certifiers.apply(k.fingerprint().upperHex()));
    pages.render(ctx, "key.jte", p);
  }

  private void download(Context ctx) {
    StoredKeyring k = byFingerprint(ctx.pathParam("fingerprint"));
    ctx.contentType("application/pgp-keys");
    ctx.header("Content-Disposition", "attachment; filename=\"" + k.fingerprint().upperHex() + ".asc\"");
    ctx.result(lookup.armored(List.of(k)));
  }

  private void upload(Context ctx) {
    String keytext = ctx.formParam("keytext");
    Map<String, Object> p = base(ctx);
    try {
      if (keytext == null || keytext.isBlank()) {
        throw PkiException.malformed("paste an armored public key into the box");
      }
      SubmissionResult r = submission.submit(keytext.getBytes(StandardCharsets.UTF_8));
      p.put("outcomes", r.outcomes());
      p.put("error", null);
    } catch (PkiException e) {
      ctx.status(e.kind() == org.keyhaven.common.ErrorKind.TOO_LARGE ? 413 : 400);
      p.put("outcomes", List.of());
      p.put("error", e.detail());
    }
    pages.render(ctx, "upload.jte", p);
  }

  private StoredKeyring byFingerprint(String text) {
    Fingerprint fpr = Fingerprint.parse(text);
    return lookup.find(new KeyQuery.ByFingerprint(fpr)).stream()
        .filter(k -> k.fingerprint().equals(fpr)).findFirst()
        .orElseThrow(() -> PkiException.notFound("no key with fingerprint %s", fpr.upperHex()));
  }

  /** Search text → query: 0x-prefixed or bare hex IDs and fingerprints, email, else user ID text. */
  static KeyQuery query(String q) {
    String hex = q.toLowerCase(Locale.ROOT).replace(" ", "");
    if (hex.startsWith("0x")) {
      hex = hex.substring(2);
    }
    if (hex.matches("[0-9a-f]+")) {
      switch (hex.length()) {
        case 40, 64:
          return new KeyQuery.ByFingerprint(Fingerprint.parse(hex));
        case 16:
          return new KeyQuery.ByKeyId(KeyId.parse(hex));
        case 8:
          return new KeyQuery.ByShortKeyId(Long.parseLong(hex, 16));
        default:
          break;
      }
    }
    String trimmed = q.startsWith("<") && q.endsWith(">") ? q.substring(1, q.length() - 1) : q;
    if (trimmed.matches("[^\\s@<>]+@[^\\s@<>]+")) {
      return new KeyQuery.ByEmail(trimmed);
    }
    if (q.length() < 3) {
      throw PkiException.malformed("search for at least 3 characters, an email, a key ID or a fingerprint");
    }
    return new KeyQuery.ByUserId(q, false);
  }

  KeyView view(StoredKeyring k) {
    var idx = k.index();
    String status = idx.revoked() ? "revoked" : idx.expiredAt(clock.instant()) ? "expired" : "valid";
    String v = validity == null ? null : validity.apply(k.fingerprint().upperHex());
    return new KeyView(k, k.fingerprint().upperHex(), k.fingerprint().keyId().hex().toUpperCase(Locale.ROOT),
        algorithmName(idx.algorithm(), idx.bits()), status, v);
  }

  static String algorithmName(int algo, int bits) {
    return switch (algo) {
      case 1, 2, 3 -> "RSA " + bits;
      case 16 -> "ElGamal " + bits;
      case 17 -> "DSA " + bits;
      case 18 -> "ECDH";
      case 19 -> "ECDSA";
      case 22 -> "EdDSA";
      case 25 -> "X25519";
      case 27 -> "Ed25519";
      case 28 -> "Ed448";
      default -> "algorithm " + algo;
    };
  }

  private Map<String, Object> base(Context ctx) {
    Map<String, Object> p = new HashMap<>();
    p.put("nav", Pages.nav(ctx, sessions));
    return p;
  }
}
