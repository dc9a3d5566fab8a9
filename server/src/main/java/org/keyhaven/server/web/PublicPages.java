package org.keyhaven.server.web;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.keyhaven.server.http.RouteGroup;

/** Public pages that need no login and no JavaScript: the home page and the style sheet. */
public final class PublicPages implements RouteGroup {
  private final Pages pages;
  private final WebSessions sessions;
  private final HomePage home;
  private final byte[] css;

  public PublicPages(Pages pages, WebSessions sessions, HomePage home) {
    this.pages = pages;
    this.sessions = sessions;
    this.home = home;
    try (InputStream in = PublicPages.class.getResourceAsStream("/web/keyhaven.css")) {
      this.css = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void register(RoutesConfig routes) {
    routes.get("/", this::home);
    routes.get("/static/keyhaven.css", ctx -> ctx.contentType("text/css; charset=utf-8")
        .header("Cache-Control", "public, max-age=3600").result(css));
  }

  private void home(Context ctx) {
    pages.render(ctx, "home.jte", Map.of("nav", Pages.nav(ctx, sessions), "page", home));
  }
}
