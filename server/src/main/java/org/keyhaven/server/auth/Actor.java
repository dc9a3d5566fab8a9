package org.keyhaven.server.auth;

import io.javalin.http.Context;
import org.keyhaven.common.PkiException;

/** Who is calling: the authenticated token's name and role. */
public record Actor(String name, Role role) {
  public static final String ATTRIBUTE = "keyhaven.actor";

  /** The actor of an authenticated request; fails on a public route that has none. */
  public static Actor of(Context ctx) {
    Actor actor = ctx.attribute(ATTRIBUTE);
    if (actor == null) {
      throw PkiException.unauthenticated("this operation needs an API token");
    }
    return actor;
  }

  /** True if this actor may act in {@code role} (admins may act in every role). */
  public boolean has(Role wanted) {
    return role == Role.ADMIN || role == wanted;
  }
}
