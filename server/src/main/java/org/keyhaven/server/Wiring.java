package org.keyhaven.server;

import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.keyhaven.server.audit.JdbcAuditLog;
import org.keyhaven.server.auth.AuthHandler;
import org.keyhaven.server.auth.TokenService;
import org.keyhaven.server.db.Database;
import org.keyhaven.server.http.AdminRoutes;
import org.keyhaven.server.http.HealthRoutes;
import org.keyhaven.server.http.HttpMetrics;
import org.keyhaven.server.http.RouteGroup;

/**
 * The composition root: builds every service from the configuration by hand (constructor
 * injection, no reflection) and lists the route groups the HTTP server registers.
 */
public final class Wiring implements AutoCloseable {
  public final ServerConfig config;
  public final Clock clock;
  public final HikariDataSource dataSource;
  public final JdbcAuditLog audit;
  public final TokenService tokens;
  public final HttpMetrics metrics;
  public final AuthHandler auth;
  public final org.keyhaven.server.http.RateLimits rateLimits;
  public final org.keyhaven.server.web.Pages pages;
  public final org.keyhaven.server.web.WebSessions webSessions;
  public final org.keyhaven.server.web.ConsoleGuard consoleGuard;
  public final org.keyhaven.server.web.ConsolePages consolePages;
  /** The URL clients reach this server at (AIA, CRL distribution points, pages). */
  public final String publicBaseUrl;
  /** The X.509 CA (issue 3): registry, certificate store and signers for revocation too. */
  public final org.keyhaven.ca.CertificateAuthority ca;
  /** Revocation (issue 4): revoke/release/self-service, CRLs, OCSP responder. */
  public final org.keyhaven.ca.revocation.store.jdbc.RevocationWiring revocation;
  /** Keyserver storage; also the web of trust's {@code CertificationStore}. */
  public final org.keyhaven.keyserver.store.jdbc.JdbcKeyserverStore keyStore;
  public final org.keyhaven.keyserver.KeySubmission keySubmission;
  public final org.keyhaven.keyserver.KeyLookup keyLookup;
  public final org.keyhaven.server.http.keyserver.HkpResponseCache hkpCache;
  /** Routes that also answer from {@link org.keyhaven.server.http.FastPath}. */
  public final org.keyhaven.server.http.revocation.OcspRoutes ocspRoutes;
  public final org.keyhaven.server.http.keyserver.HkpRoutes hkpRoutes;
  public final org.keyhaven.keyserver.wot.store.ReloadingNetwork wotNetwork;
  public final org.keyhaven.keyserver.wot.WotService wot;
  public final org.keyhaven.server.cluster.ChangeFeed changeFeed;
  public final org.keyhaven.server.jobs.DirectoryOutbox directoryOutbox;
  public final org.keyhaven.recipients.RecipientLookup recipients;
  /** This node's scheduler: cluster jobs under a database lease, node jobs everywhere. */
  public final org.keyhaven.server.cluster.LeasedJobs jobs;
  /** The id this node uses for leases and the change feed. */
  public final String nodeId;

  private final List<RouteGroup> routeGroups = new ArrayList<>();
  private final List<AutoCloseable> closeables = new ArrayList<>();

  public Wiring(ServerConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.publicBaseUrl = config.effectivePublicBaseUrl(config.httpPort());
    this.dataSource = Database.open(config);
    this.audit = new JdbcAuditLog(dataSource, clock);
    this.tokens = new TokenService(dataSource, clock, audit);
    this.metrics = new HttpMetrics();
    this.auth = new AuthHandler(tokens, audit);
    this.rateLimits = new org.keyhaven.server.http.RateLimits(clock);

    routeGroups.add(new HealthRoutes(dataSource));
    routeGroups.add(new AdminRoutes(tokens, audit));
    this.pages = new org.keyhaven.server.web.Pages();
    this.webSessions = new org.keyhaven.server.web.WebSessions(dataSource, clock);
    this.consoleGuard = new org.keyhaven.server.web.ConsoleGuard(webSessions, audit);
    this.consolePages = new org.keyhaven.server.web.ConsolePages(pages, webSessions, tokens, audit);
    routeGroups.add(new org.keyhaven.server.web.PublicPages(pages, webSessions, homePage(config)));
    routeGroups.add(consolePages);
    // --- Areas add their services and route groups below, one block each. ---
    // CA (issue 3): default hierarchy on first start, issuance, approvals, public CA certs.
    this.ca = org.keyhaven.server.http.ca.CaSetup.open(config, publicBaseUrl, dataSource, clock,
        audit);
    routeGroups.add(new org.keyhaven.server.http.ca.CaAdminRoutes(ca));
    routeGroups.add(new org.keyhaven.server.http.ca.CaPublicRoutes(ca));
    // Revocation (issue 4): revoke/release/self-service, CRLs and OCSP for every CA.
    this.revocation = new org.keyhaven.ca.revocation.store.jdbc.RevocationWiring(ca, dataSource,
        org.keyhaven.ca.revocation.store.jdbc.RevocationWiring.Settings.defaults(), audit, clock);
    onClose(revocation);
    // Periodic jobs (docs/SCALING.md): cluster jobs run on the lease holder only.
    this.nodeId = nodeId();
    this.jobs = new org.keyhaven.server.cluster.LeasedJobs(
        new org.keyhaven.server.cluster.JobLeases(dataSource, clock, nodeId), metrics.registry());
    onClose(jobs);
    java.time.Duration period = jobPeriod();
    jobs.cluster(CRL_REFRESH_JOB, java.time.Duration.ofSeconds(5), period,
        revocation::refreshCrls);
    jobs.node(RESPONDER_ROTATION_JOB, java.time.Duration.ofSeconds(5), period,
        revocation::rotateResponders);
    routeGroups.add(new org.keyhaven.server.http.revocation.RevocationRoutes(
        revocation.revocations));
    routeGroups.add(new org.keyhaven.server.http.revocation.CrlRoutes(revocation.crls, ca));
    this.ocspRoutes = new org.keyhaven.server.http.revocation.OcspRoutes(revocation.ocsp, clock);
    routeGroups.add(ocspRoutes);
    // Keyserver (issue 6): HKP on the main port and on the HKP port; admin key removal.
    this.keyStore = new org.keyhaven.keyserver.store.jdbc.JdbcKeyserverStore(dataSource);
    int hashed = keyStore.fillMissingSksHashes(); // keys stored before op=hget existed (V31)
    if (hashed > 0) {
      org.slf4j.LoggerFactory.getLogger(Wiring.class).info("computed SKS hashes of {} stored keys",
          hashed);
    }
    var keyPolicy = org.keyhaven.keyserver.KeyserverPolicy.defaults();
    this.keySubmission = new org.keyhaven.keyserver.KeySubmission(keyStore, keyPolicy, clock);
    this.keyLookup = new org.keyhaven.keyserver.KeyLookup(keyStore, keyPolicy);
    this.hkpCache = new org.keyhaven.server.http.keyserver.HkpResponseCache();
    this.hkpRoutes = new org.keyhaven.server.http.keyserver.HkpRoutes(
        keyLookup, keySubmission, clock, "keyhaven", hkpCache);
    routeGroups.add(hkpRoutes);
    // Web of trust (issue 7): in-memory graph from the keyserver's verified certifications,
    // reloaded when keys change on this or any other node (change feed).
    this.wotNetwork = new org.keyhaven.keyserver.wot.store.ReloadingNetwork(keyStore, clock,
        java.time.Duration.ofSeconds(5));
    // Load the graph now, in the background, rather than on the first lookup's time.
    wotNetwork.warm();
    this.wot = new org.keyhaven.keyserver.wot.WotService(wotNetwork,
        new org.keyhaven.keyserver.wot.jdbc.JdbcTrustRootStore(dataSource, clock), audit, clock);
    routeGroups.add(new org.keyhaven.server.http.keyserver.WotRoutes(wot));
    hkpRoutes.withValidity(this::wotValidity);
    this.changeFeed = new org.keyhaven.server.cluster.ChangeFeed(dataSource, clock, nodeId);
    jobs.cluster(CHANGE_FEED_PRUNE_JOB, period, period, () -> changeFeed.prune(CHANGE_FEED_KEEP));
    this.directoryOutbox = new org.keyhaven.server.jobs.DirectoryOutbox(dataSource);
    changeFeed.subscribe(KEYS_TOPIC, item -> {
      wotNetwork.invalidate();
      hkpCache.invalidate();
    });
    // A revocation on any node drops the pre-signed OCSP answer on every node (one poll, 250 ms).
    revocation.revocations.addListener((caId, serial) ->
        changeFeed.publish(REVOCATION_TOPIC, caId.value() + "/" + serial.toString(16)));
    changeFeed.subscribe(REVOCATION_TOPIC, item -> {
      int slash = item.indexOf('/');
      revocation.ocsp.statusChanged(org.keyhaven.ca.CaId.of(item.substring(0, slash)),
          new java.math.BigInteger(item.substring(slash + 1), 16));
    });
    changeFeed.start();
    onClose(changeFeed);
    routeGroups.add(routes -> {
      for (String path : new String[] {"/pks/add", "/keys/upload", "/api/v1/keys/*",
          "/api/v1/wot/roots"}) {
        routes.after(path, ctx -> {
          if (ctx.statusCode() / 100 == 2 && ctx.method() != io.javalin.http.HandlerType.GET) {
            wotNetwork.invalidate();
            hkpCache.invalidate();
            changeFeed.publish(KEYS_TOPIC, ctx.path());
            if (ctx.path().startsWith("/api/v1/keys/")) {
              // Admin removal or re-allow: the directory must drop or re-add the key now.
              String fpr = ctx.pathParamMap().getOrDefault("fingerprint", "");
              if (!fpr.isEmpty()) {
                directoryOutbox.appendKeyChange(fpr.toUpperCase(java.util.Locale.ROOT), clock.instant());
              }
            }
          }
        });
      }
    });
    routeGroups.add(new org.keyhaven.server.web.KeyPages(
        pages, webSessions, keyLookup, keySubmission, clock, this::wotValidity)
        .withCertifiers(this::certifiers));
    // Directory (issue 5): RFC 4387-style certificate lookup over HTTP (LDAP is in KeyhavenServer);
    // registered before CertPages so /certs/search is not taken for /certs/{serial}.
    routeGroups.add(new org.keyhaven.server.http.directory.DirectoryRoutes(
        new org.keyhaven.server.jobs.DirectorySource(dataSource, clock)));
    // Web pages for certificates and the CA console (issue 9).
    routeGroups.add(new org.keyhaven.server.web.CertPages(pages, webSessions, ca, clock,
        caId -> currentCrl(caId)));
    routeGroups.add(new org.keyhaven.server.web.CaConsolePages(pages, webSessions, ca,
        revocation.revocations));
    consolePages.addCounter(() -> new org.keyhaven.server.web.Dashboard.Count(
        "OpenPGP keys", keyLookup.count()));
    new org.keyhaven.server.web.DashboardStats(dataSource, metrics.registry(), clock)
        .addTo(consolePages);
    // Recipient lookup and WKD (issue 8).
    this.recipients = new org.keyhaven.recipients.RecipientLookup(ca, keyLookup,
        this::userIdValidity, clock);
    routeGroups.add(new org.keyhaven.server.http.recipients.RecipientRoutes(recipients));
    routeGroups.add(new org.keyhaven.server.http.recipients.WkdRoutes(keyLookup,
        config.mailDomains(), clock));
    routeGroups.add(new org.keyhaven.server.http.keyserver.KeyAdminRoutes(
        new org.keyhaven.keyserver.KeyAdministration(keyStore, audit, clock)));
  }

  /** Cluster job: regenerate CRLs past half their life (one node). */
  public static final String CRL_REFRESH_JOB = "crl-refresh";
  /** Node job: rotate this process's delegated OCSP responder certificates (every node). */
  public static final String RESPONDER_ROTATION_JOB = "ocsp-responder-rotation";
  /** Cluster job: delete change-feed events every node has long seen (one node). */
  public static final String CHANGE_FEED_PRUNE_JOB = "change-feed-prune";
  /** Cluster job: drain the publication outboxes into the shared directory (one node). */
  public static final String DIRECTORY_PUBLICATION_JOB = "directory-publication";
  static final java.time.Duration CHANGE_FEED_KEEP = java.time.Duration.ofDays(1);
  /** Environment variable: seconds between runs of the CRL, responder and prune jobs. */
  public static final String JOB_PERIOD_ENV = "KEYHAVEN_JOB_PERIOD_SECONDS";

  /** The period of the revocation jobs: 60 s unless {@value #JOB_PERIOD_ENV} says otherwise. */
  static java.time.Duration jobPeriod() {
    String v = System.getenv(JOB_PERIOD_ENV);
    if (v == null || v.isBlank()) {
      v = System.getProperty("keyhaven.job.period.seconds", "60");
    }
    try {
      long seconds = Long.parseLong(v.strip());
      if (seconds < 1) {
        throw new NumberFormatException();
      }
      return java.time.Duration.ofSeconds(seconds);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(JOB_PERIOD_ENV + " must be a whole number of seconds >= 1");
    }
  }

  static final String KEYS_TOPIC = "keys";
  static final String REVOCATION_TOPIC = "revocation";

  /** A node id for leases and the change feed: host, process and a random suffix. */
  static String nodeId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "node";
    }
    return host + "/" + ProcessHandle.current().pid() + "/"
        + Long.toHexString(new java.security.SecureRandom().nextLong() & 0xffffff);
  }

  /** Web-of-trust validity of a key from the server's roots, lower-case, for pages. */
  private String wotValidity(String fingerprint) {
    return wot.validity(fingerprint).name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Verified third-party certifications on a key that count now (for the key page). */
  private List<org.keyhaven.server.web.KeyPages.Certifier> certifiers(String fingerprint) {
    try {
      return wot.key(fingerprint).certifiedBy().stream()
          .filter(h -> !h.signer().equalsIgnoreCase(fingerprint))
          .map(h -> new org.keyhaven.server.web.KeyPages.Certifier(h.signer(), h.userId(),
              h.certified() == null ? "" : h.certified().toString()))
          .toList();
    } catch (org.keyhaven.common.PkiException e) {
      return List.of();
    }
  }

  /** Validity of one user ID on a key from the server's roots ("unknown" if not in the graph). */
  private String userIdValidity(String fingerprint, String userId) {
    try {
      var key = wot.keyValidity(fingerprint);
      if (key.isPresent()) {
        for (var u : key.get().userIds()) {
          if (u.userId().equals(userId)) {
            return u.validity().name().toLowerCase(java.util.Locale.ROOT);
          }
        }
      }
      return "unknown";
    } catch (org.keyhaven.common.PkiException e) {
      return "unknown";
    }
  }

  private java.util.Optional<org.keyhaven.ca.crl.StoredCrl> currentCrl(org.keyhaven.ca.CaId caId) {
    try {
      return java.util.Optional.of(revocation.crls.current(caId, org.keyhaven.ca.crl.CrlKind.FULL));
    } catch (org.keyhaven.common.PkiException e) {
      return java.util.Optional.empty();
    }
  }

  private org.keyhaven.server.web.HomePage homePage(ServerConfig config) {
    String host = config.bind().contains(":") ? "[" + config.bind() + "]" : config.bind();
    String hkp = config.hkpPort() > 0 ? "hkp://" + host + ":" + config.hkpPort() : publicBaseUrl;
    String ldap = config.ldapPort() > 0 ? "ldap://" + host + ":" + config.ldapPort() : null;
    return new org.keyhaven.server.web.HomePage(config.org(), config.mailDomains().get(0),
        publicBaseUrl, hkp, ldap, host, config.ldapPort(), config.effectiveLdapBaseDn());
  }

  public List<RouteGroup> routeGroups() {
    return List.copyOf(routeGroups);
  }

  /** Registers something to close at shutdown (in reverse order of registration). */
  public void onClose(AutoCloseable closeable) {
    closeables.add(closeable);
  }

  @Override
  public void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        org.slf4j.LoggerFactory.getLogger(Wiring.class).warn("error while closing", e);
      }
    }
    dataSource.close();
  }
}
