package org.keyhaven.server.http;

import io.javalin.config.RoutesConfig;

/** A set of routes one area contributes to the HTTP server (CA, revocation, HKP, …). */
public interface RouteGroup {
  void register(RoutesConfig routes);
}
