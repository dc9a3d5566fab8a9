package org.keyhaven.server;

import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.server.AbstractConnector;
import org.keyhaven.server.http.FastPath;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.keyhaven.directory.embedded.EmbeddedDirectory;
import org.keyhaven.server.http.ErrorMapping;
import org.keyhaven.server.http.JsonBodies;
import org.keyhaven.server.http.OpenApiRoutes;
import org.keyhaven.server.http.RouteGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Keyhaven process: HTTP (REST, OCSP, CRLs, HKP, pages), HKP on its own port, and the
 * embedded LDAP directory. {@link #close()} drains in-flight requests before stopping.
 */
public final class KeyhavenServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyhavenServer.class);
  private static final long DRAIN_MILLIS = 10_000;

  private final Wiring wiring;
  private final Javalin app;
  private final EmbeddedDirectory directory;
  private final AtomicInteger inFlight;
  private final ServerConnector httpConnector;
  private final ServerConnector hkpConnector;

  private KeyhavenServer(Wiring wiring, Javalin app, EmbeddedDirectory directory,
      AtomicInteger inFlight, ServerConnector httpConnector, ServerConnector hkpConnector) {
    this.httpConnector = httpConnector;
    this.wiring = wiring;
    this.app = app;
    this.directory = directory;
    this.inFlight = inFlight;
    this.hkpConnector = hkpConnector;
  }

  public static KeyhavenServer start(ServerConfig config, Clock clock) {
    return start(config, clock, java.util.List.of());
  }

  /** Starts with extra route groups besides the wiring's own (tests use this for probes). */
  public static KeyhavenServer start(ServerConfig config, Clock clock, java.util.List<RouteGroup> extra) {
    try {
      Files.createDirectories(config.dataDir());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create data dir " + config.dataDir(), e);
    }
    Wiring wiring = new Wiring(config, clock);
    try {
      AdminBootstrap.ensureAdminToken(wiring.tokens, config.dataDir());
      EmbeddedDirectory directory = config.embeddedDirectory() ? startDirectory(wiring) : null;
      if (directory != null) {
        wiring.onClose(directory);
      }
      // Issue 5: rebuild the directory from the database, then drain the outboxes into it.
      var publication = org.keyhaven.server.jobs.DirectoryPublication.start(wiring, directory);
      if (publication != null) {
        wiring.onClose(publication);
      }
      AtomicInteger inFlight = new AtomicInteger();
      ServerConnector[] hkp = new ServerConnector[1];
      ServerConnector[] http = new ServerConnector[1];
      Object[] openApi = new Object[1];
      FastPath fastPath = new FastPath(wiring.metrics.registry(), inFlight);
      fastPath.limitBodies(config.maxBodyBytes());
      // Public GETs whose answer is already finished bytes skip the pipeline (FastPath).
      fastPath.register("/ocsp/", "http", "/ocsp/<request>", wiring.ocspRoutes::fastGet);
      fastPath.register("/pks/lookup", null, "/pks/lookup", wiring.hkpRoutes::fastLookup);
      // OCSP POSTs (every request with a nonce is one) carry no state the pipeline adds.
      fastPath.registerPost("/ocsp", "http", "application/ocsp-request",
          org.keyhaven.ca.ocsp.OcspRequestDecoder.MAX_BYTES, "/ocsp", wiring.ocspRoutes::fastPost);
      Javalin app = Javalin.create(cfg -> {
        cfg.startup.showJavalinBanner = false;
        cfg.startup.showOldJavalinVersionWarning = false;
        cfg.http.maxRequestSize = config.maxBodyBytes();
        cfg.http.generateEtags = false;
        cfg.jsonMapper(new JavalinJackson(JsonBodies.MAPPER, false));
        cfg.jetty.modifyServer(server -> {
          server.setStopTimeout(DRAIN_MILLIS);
          // Javalin attaches its servlet context inside this wrapper (JettyServer.attachHandler).
          server.setHandler(fastPath);
        });
        // Javalin adds its own connector only when none is configured; we configure both.
        cfg.jetty.addConnector((server, httpConfig) -> {
          http[0] = connector(server, httpConfig, config.bind(), config.httpPort(), "http");
          return http[0];
        });
        if (config.hkpPort() > 0) {
          cfg.jetty.addConnector((server, httpConfig) -> {
            hkp[0] = connector(server, httpConfig, config.bind(), config.hkpPort(), "hkp");
            return hkp[0];
          });
        }
        ErrorMapping.register(cfg.routes, (ctx, status, title, detail) -> wiring.pages.render(ctx,
            "error.jte", java.util.Map.of("nav", org.keyhaven.server.web.Nav.ANONYMOUS,
                "status", status, "title", title, "detail", detail)));
        cfg.routes.before(ctx -> inFlight.incrementAndGet());
        cfg.routes.after(ctx -> inFlight.decrementAndGet());
        // The HKP port is for keyserver clients only (RFC-less convention: port 11371 = /pks/*).
        cfg.routes.before(ctx -> {
          if (hkp[0] != null && ctx.req().getLocalPort() == hkp[0].getLocalPort()
              && !ctx.path().startsWith("/pks/") && !ctx.path().equals("/health")) {
            throw new io.javalin.http.NotFoundResponse();
          }
        });
        wiring.rateLimits.register(cfg.routes);
        cfg.routes.beforeMatched(wiring.auth);
        cfg.routes.beforeMatched(wiring.consoleGuard);
        wiring.metrics.register(cfg.routes);
        for (RouteGroup group : wiring.routeGroups()) {
          group.register(cfg.routes);
        }
        for (RouteGroup group : extra) {
          group.register(cfg.routes);
        }
        cfg.routes.get("/api/v1/openapi.json", ctx -> ctx.json(openApi[0]));
      });
      openApi[0] = OpenApiRoutes.document(app, KeyhavenServer.class.getPackage().getImplementationVersion() == null
          ? "dev" : KeyhavenServer.class.getPackage().getImplementationVersion());
      app.start();
      return new KeyhavenServer(wiring, app, directory, inFlight, http[0], hkp[0]);
    } catch (RuntimeException e) {
      wiring.close();
      throw e;
    }
  }

  /**
   * The embedded directory on 127.0.0.1 (or --bind): plain LDAP on --ldap-port, and with
   * --ldaps-port / --ldap-starttls a TLS certificate the root CA issues for this process's
   * listener names at start and renews at half its life.
   */
  private static EmbeddedDirectory startDirectory(Wiring wiring) {
    ServerConfig config = wiring.config;
    EmbeddedDirectory.Options o = EmbeddedDirectory.Options.defaults(config.effectiveLdapBaseDn(),
        config.bind(), config.ldapPort() > 0 ? config.ldapPort() : -1);
    if (config.ldapsPort() > 0 || config.ldapStartTls()) {
      java.util.List<String> names = new java.util.ArrayList<>(
          java.util.List.of("localhost", "127.0.0.1"));
      if (!names.contains(config.bind()) && !config.bind().equals("0.0.0.0")
          && !config.bind().equals("::")) {
        names.add(config.bind());
      }
      var certificates = new org.keyhaven.ca.hierarchy.LoopbackTlsCertificates(
          wiring.ca.registry(), wiring.ca.certificateStore(),
          new org.keyhaven.ca.issuance.RandomSerialGenerator(), wiring.audit, wiring.clock,
          java.time.Duration.ofDays(30), names);
      o = o.withTls(new EmbeddedDirectory.Tls(
          org.keyhaven.server.jobs.DirectoryTls.context(certificates),
          config.ldapsPort() > 0 ? config.ldapsPort() : -1, config.ldapStartTls()));
    }
    return EmbeddedDirectory.start(o);
  }

  public Wiring wiring() {
    return wiring;
  }

  public Javalin app() {
    return app;
  }

  public int httpPort() {
    return httpConnector.getLocalPort();
  }

  private static ServerConnector connector(org.eclipse.jetty.server.Server server,
      org.eclipse.jetty.server.HttpConfiguration httpConfig, String host, int port, String name) {
    httpConfig.setSendServerVersion(false);
    // One selector per core (Jetty's default is half the cores): FastPath answers cached
    // lookups on the selector thread itself, so the selectors are where the work is.
    ServerConnector c = new ServerConnector(server, 1,
        Math.max(1, Runtime.getRuntime().availableProcessors()),
        new HttpConnectionFactory(httpConfig));
    c.setHost(host);
    c.setPort(port);
    c.setName(name);
    return c;
  }

  /** The HKP port, or 0 if HKP has no port of its own. */
  public int hkpPort() {
    return hkpConnector == null ? 0 : hkpConnector.getLocalPort();
  }

  /** The LDAP port, or 0 if the embedded directory (or its plain listener) is off. */
  public int ldapPort() {
    return directory == null ? 0 : Math.max(0, directory.port());
  }

  /** The LDAPS port, or 0 if there is no LDAPS listener. */
  public int ldapsPort() {
    return directory == null ? 0 : Math.max(0, directory.ldapsPort());
  }

  public EmbeddedDirectory directory() {
    return directory;
  }

  public String readyLine() {
    String host = wiring.config.bind().contains(":") ? "[" + wiring.config.bind() + "]" : wiring.config.bind();
    return "keyhaven ready http=http://" + host + ":" + httpPort()
        + " hkp=" + (hkpPort() > 0 ? "http://" + host + ":" + hkpPort() : "off")
        + " ldap=" + (ldapPort() > 0 ? "ldap://" + host + ":" + ldapPort() : "off")
        + (ldapsPort() > 0 ? " ldaps=ldaps://" + host + ":" + ldapsPort() : "");
  }

  /** Stops accepting, lets in-flight requests finish (up to 10 s), then stops and closes the pool. */
  @Override
  public void close() {
    for (Connector c : app.jettyServer().server().getConnectors()) {
      if (c instanceof AbstractConnector ac) {
        ac.shutdown();
      }
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    app.stop();
    wiring.close();
    LOG.info("keyhaven stopped");
  }
}
