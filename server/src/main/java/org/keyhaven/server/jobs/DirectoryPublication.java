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
   * {@code --ldap-publish-url} (if any); returns null when there is neither.
   */
  public static PublicationWorker start(Wiring wiring, EmbeddedDirectory embedded) {
    List<PublicationWorker.Target> targets = new ArrayList<>();
    if (embedded != null) {
      targets.add(new PublicationWorker.Target("embedded", new LdapDirectoryPublisher(
          embedded.server(), embedded.baseDn(), false, wiring.clock), embedded::clear));
    }
    ServerConfig config = wiring.config;
    if (config.ldapPublishUrl() != null && !config.ldapPublishUrl().isBlank()) {
      LDAPConnectionPool pool = externalPool(config);
      wiring.onClose(pool::close);
      targets.add(new PublicationWorker.Target(config.ldapPublishUrl(),
          new LdapDirectoryPublisher(pool, externalBase(config), true, wiring.clock), null));
    }
    if (targets.isEmpty()) {
      return null;
    }
    return new PublicationWorker(targets, new DirectorySource(wiring.dataSource, wiring.clock),
        wiring.ca.outbox(), new DirectoryOutbox(wiring.dataSource), wiring.clock)
        .start(Duration.ofSeconds(1));
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
