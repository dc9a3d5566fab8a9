package org.keyhaven.common;

import java.util.Locale;

/**
 * The one exception type of Keyhaven's domain modules: a {@link ErrorKind} plus a detail written
 * for the client (except for {@link ErrorKind#INTERNAL}, whose detail is only logged).
 */
public class PkiException extends RuntimeException {
  private final ErrorKind kind;

  public PkiException(ErrorKind kind, String detail, Throwable cause) {
    super(detail, cause);
    this.kind = kind;
  }

  public PkiException(ErrorKind kind, String detail) {
    this(kind, detail, null);
  }

  public ErrorKind kind() {
    return kind;
  }

  /** The one-line text meant for the client. */
  public String detail() {
    return getMessage();
  }

  /** Line breaks and other control characters, which must not split a one-line reason. */
  private static final java.util.regex.Pattern CONTROL =
      java.util.regex.Pattern.compile("[\\p{Cntrl}\\u0080-\\u009f\\u2028\\u2029]");

  /**
   * The message, with any control character a client's value brought in shown as '?': details
   * echo what the client sent, and every reason is one line (a fuzz finding: a CA import whose
   * policy name held a line break).
   */
  private static String fmt(String format, Object... args) {
    if (args.length == 0) {
      return format;
    }
    String s = String.format(Locale.ROOT, format, args);
    return CONTROL.matcher(s).find() ? CONTROL.matcher(s).replaceAll("?") : s;
  }

  public static PkiException malformed(String format, Object... args) {
    return new PkiException(ErrorKind.MALFORMED, fmt(format, args));
  }

  public static PkiException malformed(Throwable cause, String format, Object... args) {
    return new PkiException(ErrorKind.MALFORMED, fmt(format, args), cause);
  }

  public static PkiException unsupported(String format, Object... args) {
    return new PkiException(ErrorKind.UNSUPPORTED, fmt(format, args));
  }

  public static PkiException notFound(String format, Object... args) {
    return new PkiException(ErrorKind.NOT_FOUND, fmt(format, args));
  }

  public static PkiException unauthenticated(String format, Object... args) {
    return new PkiException(ErrorKind.UNAUTHENTICATED, fmt(format, args));
  }

  public static PkiException forbidden(String format, Object... args) {
    return new PkiException(ErrorKind.FORBIDDEN, fmt(format, args));
  }

  public static PkiException policy(String format, Object... args) {
    return new PkiException(ErrorKind.POLICY_VIOLATION, fmt(format, args));
  }

  public static PkiException conflict(String format, Object... args) {
    return new PkiException(ErrorKind.CONFLICT, fmt(format, args));
  }

  public static PkiException tooLarge(String format, Object... args) {
    return new PkiException(ErrorKind.TOO_LARGE, fmt(format, args));
  }

  public static PkiException rateLimited(String format, Object... args) {
    return new PkiException(ErrorKind.RATE_LIMITED, fmt(format, args));
  }

  public static PkiException unavailable(String format, Object... args) {
    return new PkiException(ErrorKind.UNAVAILABLE, fmt(format, args));
  }

  public static PkiException internal(Throwable cause, String format, Object... args) {
    return new PkiException(ErrorKind.INTERNAL, fmt(format, args), cause);
  }
}
