package org.keyhaven.server.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import io.javalin.security.RouteRole;
import java.util.Locale;
import org.keyhaven.common.PkiException;

/**
 * API token roles. A route registered with roles requires a token holding one of them; {@link
 * #ADMIN} may do everything. A route registered without roles is public.
 */
public enum Role implements RouteRole {
  /** Everything, including CA creation and token management. */
  ADMIN,
  /** Registration authority: issue and revoke end-entity certificates only. */
  RA,
  /** Read the audit log. */
  AUDITOR;

  /** The lower-case wire name ({@code admin}, {@code ra}, {@code auditor}). */
  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Role fromWire(String name) {
    if (name != null) {
      for (Role r : values()) {
        if (r.wireName().equals(name.toLowerCase(Locale.ROOT))) {
          return r;
        }
      }
    }
    throw PkiException.malformed("role must be one of admin, ra, auditor (got '%s')", name);
  }
}
