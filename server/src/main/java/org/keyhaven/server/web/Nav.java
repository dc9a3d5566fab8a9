package org.keyhaven.server.web;

/** What the page header needs to know: who is logged in, and the CSRF token for its forms. */
public record Nav(boolean loggedIn, String actorName, String role, String csrf) {
  public static final Nav ANONYMOUS = new Nav(false, null, null, null);

  public static Nav of(WebSessions.Session s) {
    return s == null ? ANONYMOUS
        : new Nav(true, s.actor().name(), s.actor().role().wireName(), s.csrf());
  }

  public boolean isAdmin() {
    return "admin".equals(role);
  }
}
