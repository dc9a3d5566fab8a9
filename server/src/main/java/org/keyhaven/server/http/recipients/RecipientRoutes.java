package org.keyhaven.server.http.recipients;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.StoredKeyring;
import org.keyhaven.recipients.RecipientAnswer;
import org.keyhaven.recipients.RecipientLookup;
import org.keyhaven.server.http.JsonBodies;
import org.keyhaven.server.http.RouteGroup;

/**
 * The public recipient lookup API: {@code GET /api/v1/recipients/{email}} (JSON, or the
 * preferred certificates as PEM, or the usable keys armored) and {@code POST /api/v1/recipients}
 * for a whole distribution list.
 */
public final class RecipientRoutes implements RouteGroup {
  private final RecipientLookup lookup;

  public RecipientRoutes(RecipientLookup lookup) {
    this.lookup = lookup;
  }

  /** Body of the batch lookup. */
  public record Batch(List<String> emails, Boolean all) {}

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/api/v1/recipients/{email}", this::one);
    routes.post("/api/v1/recipients", this::many);
  }

  private void one(Context ctx) {
    boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
    String format = ctx.queryParam("format");
    RecipientAnswer a = lookup.lookup(ctx.pathParam("email"), all);
    ctx.header("Cache-Control", "no-cache");
    if (format == null || format.equals("json")) {
      ctx.status(a.isEmpty() ? 404 : 200).json(a);
    } else if (format.equals("pem")) {
      StringBuilder pem = new StringBuilder();
      for (RecipientAnswer.SmimeEntry e : a.smime()) {
        if (e.preferred()) {
          pem.append(e.certificate());
        }
      }
      ctx.status(pem.length() == 0 ? 404 : 200).contentType("application/x-pem-file").result(pem.toString());
    } else if (format.equals("openpgp")) {
      List<StoredKeyring> keys = lookup.usableKeys(a);
      if (keys.isEmpty()) {
        ctx.status(404).contentType("text/plain").result("No usable OpenPGP key for " + a.email());
        return;
      }
      ctx.contentType("application/pgp-keys").result(lookup.keyLookup().armored(keys));
    } else {
      throw PkiException.malformed("format must be json, pem or openpgp");
    }
  }

  private void many(Context ctx) {
    Batch b = JsonBodies.read(ctx, Batch.class);
    Map<String, RecipientAnswer> answers = lookup.lookupAll(b.emails(), Boolean.TRUE.equals(b.all()));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("recipients", answers);
    out.put("found", answers.values().stream().filter(x -> !x.isEmpty()).count());
    out.put("missing", answers.values().stream().filter(RecipientAnswer::isEmpty).map(RecipientAnswer::email).toList());
    ctx.json(out);
  }

  static byte[] concat(List<byte[]> parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    parts.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
