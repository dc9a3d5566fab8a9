package org.keyhaven.server.web;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.javalin.http.Context;
import java.util.Map;

/**
 * Renders the precompiled jte templates (src/main/jte, compiled at build time). jte escapes every
 * {@code ${…}} for HTML by content type, so user-controlled text (user IDs, subjects) shows as text.
 */
public final class Pages {
  private final TemplateEngine engine = TemplateEngine.createPrecompiled(ContentType.Html);

  public void render(Context ctx, String template, Map<String, Object> params) {
    StringOutput out = new StringOutput();
    engine.render(template, params, out);
    ctx.header("Content-Security-Policy", "default-src 'self'; form-action 'self'; frame-ancestors 'none'");
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "same-origin");
    ctx.html(out.toString());
  }

  /** The navigation state of the current request (logged in or not). */
  public static Nav nav(Context ctx, WebSessions sessions) {
    WebSessions.Session s = ctx.attribute(ConsoleGuard.SESSION_ATTR);
    if (s == null) {
      s = sessions.find(ctx.cookie(ConsoleGuard.COOKIE)).orElse(null);
    }
    return Nav.of(s);
  }
}
