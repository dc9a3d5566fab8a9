package org.keyhaven.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.UUID;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where errors become HTTP answers (problem+json). The client sees the detail for
 * every kind but {@link ErrorKind#INTERNAL}; internal errors get a correlation id that is also
 * logged with the full cause. Protocol routes with their own error formats (OCSP, HKP) catch
 * {@link PkiException} themselves and use {@link #status(ErrorKind)} if they need a code.
 */
public final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

  /** Renders an error as an HTML page for browsers on page routes. */
  public interface HtmlErrors {
    void render(Context ctx, int status, String title, String detail);
  }

  private static volatile HtmlErrors htmlErrors;

  private ErrorMapping() {}

  /** Pages (not /api, /pks, /ocsp, /crl) asked for by a browser get HTML errors. */
  public static void register(RoutesConfig routes, HtmlErrors html) {
    htmlErrors = html;
    register(routes);
  }

  public static void register(RoutesConfig routes) {
    routes.exception(PkiException.class, ErrorMapping::pki);
    routes.exception(HttpResponseException.class, ErrorMapping::http);
    routes.exception(Exception.class, (e, ctx) -> internal(ctx, e));
  }

  /** The HTTP status for an error kind on the REST API. */
  public static int status(ErrorKind kind) {
    return switch (kind) {
      case MALFORMED, UNSUPPORTED -> 400;
      case UNAUTHENTICATED -> 401;
      case FORBIDDEN, POLICY_VIOLATION -> 403;
      case NOT_FOUND -> 404;
      case CONFLICT -> 409;
      case TOO_LARGE -> 413;
      case RATE_LIMITED -> 429;
      case UNAVAILABLE -> 503;
      case INTERNAL -> 500;
    };
  }

  static String title(ErrorKind kind) {
    return switch (kind) {
      case MALFORMED -> "Malformed request";
      case UNSUPPORTED -> "Unsupported request";
      case UNAUTHENTICATED -> "Authentication required";
      case FORBIDDEN -> "Forbidden";
      case POLICY_VIOLATION -> "Policy violation";
      case NOT_FOUND -> "Not found";
      case CONFLICT -> "Conflict";
      case TOO_LARGE -> "Request too large";
      case RATE_LIMITED -> "Too many requests";
      case UNAVAILABLE -> "Service unavailable";
      case INTERNAL -> "Internal error";
    };
  }

  private static void pki(PkiException e, Context ctx) {
    if (e.kind() == ErrorKind.INTERNAL) {
      internal(ctx, e);
      return;
    }
    if (e.kind() == ErrorKind.RATE_LIMITED || e.kind() == ErrorKind.UNAVAILABLE) {
      ctx.header("Retry-After", "5");
    }
    write(ctx, status(e.kind()), title(e.kind()), e.detail());
  }

  private static void write(Context ctx, int status, String title, String detail) {
    HtmlErrors html = htmlErrors;
    String accept = ctx.header("Accept");
    String path = ctx.path();
    boolean page = !path.startsWith("/api/") && !path.startsWith("/pks/") && !path.startsWith("/ocsp")
        && !path.startsWith("/crl/") && !path.equals("/metrics") && !path.equals("/health");
    if (html != null && page && accept != null && accept.contains("text/html")) {
      ctx.status(status);
      html.render(ctx, status, title, Problems.oneLine(detail));
      return;
    }
    Problems.write(ctx, status, title, detail);
  }

  private static void http(HttpResponseException e, Context ctx) {
    int status = e.getStatus();
    String detail = e.getMessage();
    if (status == 404 && (detail == null || detail.isBlank() || detail.startsWith("Endpoint"))) {
      detail = "no such resource: " + ctx.method() + " " + ctx.path();
    } else if (status == 413) {
      detail = "request body is larger than the limit";
    }
    write(ctx, status, statusTitle(status), detail);
  }

  private static String statusTitle(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Request too large";
      case 415 -> "Unsupported media type";
      default -> status >= 500 ? "Server error" : "Client error";
    };
  }

  private static void internal(Context ctx, Exception e) {
    // Jetty reports unparseable requests (bad multipart, bad encoding) as BadMessageException,
    // often wrapped by the servlet layer: that is the client's error, not ours.
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.http.BadMessageException bad && bad.getCode() / 100 == 4) {
        write(ctx, bad.getCode(), statusTitle(bad.getCode()),
            "the request could not be parsed: " + (bad.getReason() == null ? "bad message" : bad.getReason()));
        return;
      }
      if (t == t.getCause()) {
        break;
      }
    }
    String id = UUID.randomUUID().toString();
    LOG.error("internal error {} on {} {}", id, ctx.method(), ctx.path(), e);
    write(ctx, 500, "Internal error", "internal error; correlation id " + id);
  }
}
