package org.keyhaven.server.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;

/** Prometheus metrics: request counts and latencies per route template, and JVM gauges. */
public final class HttpMetrics {
  private static final String START = "keyhaven.start";
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

  private final java.util.Map<String, Timer> timers =
      new java.util.concurrent.ConcurrentHashMap<>();

  public HttpMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  public void register(RoutesConfig routes) {
    routes.before(ctx -> ctx.attribute(START, System.nanoTime()));
    routes.after(this::record);
    routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4").result(registry.scrape()));
  }

  private void record(Context ctx) {
    Long start = ctx.attribute(START);
    if (start == null) {
      return;
    }
    // The route template, not the raw path: bounded label cardinality.
    String route = "unmatched";
    try {
      var matched = ctx.endpoints().matchedHttpEndpoint();
      if (matched != null) {
        route = matched.path;
      }
    } catch (RuntimeException e) {
      // no HTTP endpoint matched (404)
    }
    // Registering a meter builds and hashes a Meter.Id; keep the Timer per label set instead.
    String method = ctx.method().name();
    int status = ctx.statusCode();
    timers.computeIfAbsent(method + ' ' + status + ' ' + route, k -> Timer
            .builder("http_server_requests")
            .tag("method", method)
            .tag("route", k.substring(k.indexOf(' ', k.indexOf(' ') + 1) + 1))
            .tag("status", Integer.toString(status))
            .publishPercentileHistogram(false)
            .register(registry))
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }
}
