package org.keyhaven.recipients;

import java.util.Locale;
import org.keyhaven.common.PkiException;

/** Email address normalisation for lookups. */
public final class Mailboxes {
  private Mailboxes() {}

  /**
   * The address as compared: trimmed, angle brackets removed, and lower-cased. RFC 5321 lets a
   * local part be case-sensitive, but no deployed mail system treats it so and clients send mixed
   * case; RFC 8398 domains (U-labels) are compared after lower-casing too.
   */
  public static String normalize(String email) {
    if (email == null) {
      throw PkiException.malformed("an email address is required");
    }
    String e = email.strip();
    if (e.startsWith("<") && e.endsWith(">")) {
      e = e.substring(1, e.length() - 1);
    }
    int at = e.lastIndexOf('@');
    if (e.length() > 254 || at < 1 || at == e.length() - 1 || e.indexOf('@') != at
        || e.chars().anyMatch(c -> c <= ' ' || c == '<' || c == '>' || c == 0x7f)) {
      // Control characters shown as '?': a line break would split the one-line detail (fuzz
      // finding mailbox crash-a79112aa).
      throw PkiException.malformed("'%s' is not an email address",
          (e.length() > 80 ? e.substring(0, 80) + "…" : e)
              .replaceAll("[\\p{Cntrl}\\u0080-\\u009f\\u2028\\u2029]", "?"));
    }
    return e.toLowerCase(Locale.ROOT);
  }

  public static String domain(String normalized) {
    return normalized.substring(normalized.lastIndexOf('@') + 1);
  }

  public static String localPart(String normalized) {
    return normalized.substring(0, normalized.lastIndexOf('@'));
  }
}
