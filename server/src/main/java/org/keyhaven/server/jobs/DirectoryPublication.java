package org.keyhaven.server.jobs;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.keyhaven.common.PkiException;
import org.keyhaven.directory.embedded.EmbeddedDirectory;
import org.keyhaven.directory.ldap.LdapDirectoryPublisher;
import org.keyhaven.server.ServerConfig;
import org.keyhaven.server.Wiring;

/** Builds the publication targets from the configuration and starts the worker. */
public final class DirectoryPublication {
  private DirectoryPublication() {}

  /**
   * Starts publishing into the embedded directory (if any) and the external one named by
   * {@code --ldap-publish-url} (if any); returns null when there is neither. The embedded
   * directory is this node's own, so it follows the outboxes on every node; the external one is
   * shared, so the outboxes are drained into it by the cluster job
   * {@value Wiring#DIRECTORY_PUBLICATION_JOB}, on the node holding its lease.
   */
  public static AutoCloseable start(Wiring wiring, EmbeddedDirectory embedded) {
    ServerConfig config = wiring.config;
    boolean external = config.ldapPublishUrl() != null && !config.ldapPublishUrl().isBlank();
    if (embedded == null && !external) {
      return null;
    }
    DirectorySource source = new DirectorySource(wiring.dataSource, wiring.clock);
    DirectoryOutbox outbox = new DirectoryOutbox(wiring.dataSource);
    List<PublicationWorker.Target> shared = new ArrayList<>();
    if (external) {
      LDAPConnectionPool pool = externalPool(config);
      wiring.onClose(pool::close);
      shared.add(new PublicationWorker.Target(config.ldapPublishUrl(),
          new LdapDirectoryPublisher(pool, externalBase(config), true, wiring.clock), null));
    }
    PublicationWorker drain = new PublicationWorker(shared, source, wiring.ca.outbox(), outbox,
        wiring.clock, PublicationWorker.Mode.DRAIN);
    wiring.jobs.cluster(Wiring.DIRECTORY_PUBLICATION_JOB, Duration.ZERO, Duration.ofSeconds(1),
        drain::tick);
    if (embedded == null) {
      return null;
    }
    return new PublicationWorker(List.of(new PublicationWorker.Target("embedded",
        embedded.publisher(wiring.clock),
        embedded::clear)), source, wiring.ca.outbox(), outbox, wiring.clock,
        PublicationWorker.Mode.FOLLOW).start(Duration.ofSeconds(1));
  }

  static String externalBase(ServerConfig config) {
    try {
      LDAPURL url = new LDAPURL(config.ldapPublishUrl());
      return url.baseDNProvided() ? url.getBaseDN().toString() : config.effectiveLdapBaseDn();
    } catch (LDAPException e) {
      throw PkiException.malformed("--ldap-publish-url is not an LDAP URL: %s",
          config.ldapPublishUrl());
    }
  }

  /** A pool that starts even when the directory is down (the outbox waits for it). */
  static LDAPConnectionPool externalPool(ServerConfig config) {
    try {
      LDAPURL url = new LDAPURL(config.ldapPublishUrl());
      ServerSet servers = url.getScheme().equals("ldaps")
          ? new SingleServerSet(url.getHost(), url.getPort(),
              new SSLUtil(JVMDefaultTrustManager.getInstance()).createSSLSocketFactory())
          : new SingleServerSet(url.getHost(), url.getPort());
      SimpleBindRequest bind = config.ldapPublishBindDn() == null
          ? new SimpleBindRequest()
          : new SimpleBindRequest(config.ldapPublishBindDn(), password(config));
      return new LDAPConnectionPool(servers, bind, 0, 4, 1, null, false);
    } catch (LDAPException | java.security.GeneralSecurityException e) {
      throw PkiException.malformed("cannot configure --ldap-publish-url: %s", e.getMessage());
    }
  }

  private static String password(ServerConfig config) {
    if (config.ldapPublishPasswordFile() == null) {
      return "";
    }
    try {
      return Files.readString(config.ldapPublishPasswordFile()).strip();
    } catch (IOException e) {
      throw PkiException.malformed("cannot read --ldap-publish-password-file: %s",
          e.getMessage());
    }
  }
}
