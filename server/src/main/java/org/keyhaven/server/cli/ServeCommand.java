package org.keyhaven.server.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.keyhaven.server.KeyhavenServer;
import org.keyhaven.server.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code keyhaven serve}: runs the server until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = "Start the server (HTTP, HKP, LDAP) on loopback with data in --data-dir.")
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--data-dir", defaultValue = "${env:KEYHAVEN_DATA_DIR:-./data}",
      description = "Data directory: H2 database, keys, admin token (default: ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--bind", defaultValue = "${env:KEYHAVEN_BIND:-127.0.0.1}",
      description = "Address every listener binds to (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--http-port", defaultValue = "${env:KEYHAVEN_HTTP_PORT:-8080}",
      description = "HTTP port: REST API, OCSP, CRLs, HKP, pages (default: ${DEFAULT-VALUE}).")
  int httpPort;

  @Option(names = "--hkp-port", defaultValue = "${env:KEYHAVEN_HKP_PORT:-11371}",
      description = "Separate HKP port, 0 = off (default: ${DEFAULT-VALUE}).")
  int hkpPort;

  @Option(names = "--ldap-port", defaultValue = "${env:KEYHAVEN_LDAP_PORT:-1389}",
      description = "Embedded LDAP directory port, 0 = off (default: ${DEFAULT-VALUE}).")
  int ldapPort;

  @Option(names = "--ldaps-port", defaultValue = "${env:KEYHAVEN_LDAPS_PORT:-0}",
      description = "Embedded LDAP directory's LDAPS port, 0 = off; the certificate is issued by"
          + " this server's root CA (default: ${DEFAULT-VALUE}).")
  int ldapsPort;

  @Option(names = "--ldap-starttls", negatable = true,
      defaultValue = "${env:KEYHAVEN_LDAP_STARTTLS:-false}", fallbackValue = "true",
      description = "Offer StartTLS on --ldap-port, with the same certificate as LDAPS"
          + " (default: ${DEFAULT-VALUE}).")
  boolean ldapStartTls;

  @Option(names = "--db-url", defaultValue = "${env:KEYHAVEN_DB_URL}",
      description = "JDBC URL (default: H2 file database in the data dir; jdbc:postgresql://… for PostgreSQL).")
  String dbUrl;

  @Option(names = "--db-user", defaultValue = "${env:KEYHAVEN_DB_USER}", description = "Database user.")
  String dbUser;

  @Option(names = "--db-password-file", defaultValue = "${env:KEYHAVEN_DB_PASSWORD_FILE}",
      description = "File holding the database password.")
  Path dbPasswordFile;

  @Option(names = "--org", defaultValue = "${env:KEYHAVEN_ORG:-Example Org}",
      description = "Organisation name for the default CA hierarchy (default: ${DEFAULT-VALUE}).")
  String org;

  @Option(names = "--mail-domain", split = ",", defaultValue = "${env:KEYHAVEN_MAIL_DOMAIN:-example.org}",
      description = "Mail domain(s) this server certifies, comma-separated (default: ${DEFAULT-VALUE}).")
  List<String> mailDomains;

  @Option(names = "--public-url", defaultValue = "${env:KEYHAVEN_PUBLIC_URL}",
      description = "Base URL clients reach the server at (default: http://<bind>:<http-port>).")
  String publicUrl;

  @Option(names = "--key-passphrase-file", defaultValue = "${env:KEYHAVEN_KEY_PASSPHRASE_FILE}",
      description = "Master secret protecting CA keys (default: <data-dir>/master-key, created 0600).")
  Path keyPassphraseFile;

  @Option(names = "--ldap-base-dn", defaultValue = "${env:KEYHAVEN_LDAP_BASE_DN}",
      description = "Directory base DN (default: dc= parts of the first mail domain).")
  String ldapBaseDn;

  @Option(names = "--max-body", defaultValue = "${env:KEYHAVEN_MAX_BODY:-4194304}",
      description = "Largest accepted request body in bytes (default: ${DEFAULT-VALUE}).")
  long maxBody;

  @Option(names = "--ldap-publish-url", defaultValue = "${env:KEYHAVEN_LDAP_PUBLISH_URL}",
      description = "External directory (e.g. ldap://ldap.example.org:389) to publish to as well.")
  String ldapPublishUrl;

  @Option(names = "--ldap-publish-bind-dn", defaultValue = "${env:KEYHAVEN_LDAP_PUBLISH_BIND_DN}",
      description = "Bind DN for --ldap-publish-url (needs write access below the base DN).")
  String ldapPublishBindDn;

  @Option(names = "--ldap-publish-password-file",
      defaultValue = "${env:KEYHAVEN_LDAP_PUBLISH_PASSWORD_FILE}",
      description = "File holding the bind password for --ldap-publish-url.")
  Path ldapPublishPasswordFile;

  ServerConfig config() {
    return new ServerConfig(dataDir, bind, httpPort, hkpPort, ldapPort, dbUrl, dbUser,
        dbPasswordFile, org, mailDomains, publicUrl, keyPassphraseFile, ldapBaseDn, maxBody,
        ldapPublishUrl, ldapPublishBindDn, ldapPublishPasswordFile, ldapsPort, ldapStartTls);
  }

  @Override
  public Integer call() throws InterruptedException {
    KeyhavenServer server = KeyhavenServer.start(config(), Clock.systemUTC());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "keyhaven-shutdown"));
    System.out.println(server.readyLine());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
