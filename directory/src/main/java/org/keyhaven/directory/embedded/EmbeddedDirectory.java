package org.keyhaven.directory.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import java.net.InetAddress;
import org.keyhaven.common.PkiException;

/**
 * The embedded LDAP server (UnboundID's in-memory directory) that serves the certificate directory
 * when no external OpenLDAP is configured. The database is the source of truth; this server's
 * contents are rebuilt from it at start.
 */
public final class EmbeddedDirectory implements AutoCloseable {
  private final InMemoryDirectoryServer server;
  private final String baseDn;

  private EmbeddedDirectory(InMemoryDirectoryServer server, String baseDn) {
    this.server = server;
    this.baseDn = baseDn;
  }

  /** Starts a read-mostly directory under {@code baseDn} on {@code bind:port} (0 = any port). */
  public static EmbeddedDirectory start(String baseDn, String bind, int port) {
    try {
      InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(baseDn);
      cfg.setListenerConfigs(
          InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getByName(bind), port, null));
      // Anonymous reads are the point of a public certificate directory; writes come only from
      // the server itself through the in-process API.
      cfg.setAuthenticationRequiredOperationTypes(
          java.util.EnumSet.of(com.unboundid.ldap.sdk.OperationType.ADD,
              com.unboundid.ldap.sdk.OperationType.DELETE,
              com.unboundid.ldap.sdk.OperationType.MODIFY,
              com.unboundid.ldap.sdk.OperationType.MODIFY_DN));
      cfg.setEnforceSingleStructuralObjectClass(false);
      cfg.setMaxSizeLimit(1000);
      InMemoryDirectoryServer server = new InMemoryDirectoryServer(cfg);
      server.add(baseEntry(baseDn));
      for (String ou : new String[] {"people", "cas", "pgpkeys"}) {
        server.add(new Entry("ou=" + ou + "," + baseDn,
            new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "organizationalUnit"),
            new com.unboundid.ldap.sdk.Attribute("ou", ou)));
      }
      server.startListening();
      return new EmbeddedDirectory(server, baseDn);
    } catch (LDAPException | java.net.UnknownHostException e) {
      throw PkiException.internal(e, "cannot start the embedded LDAP directory");
    }
  }

  private static Entry baseEntry(String baseDn) throws LDAPException {
    RDN rdn = new DN(baseDn).getRDN();
    String attr = rdn.getAttributeNames()[0];
    String value = rdn.getAttributeValues()[0];
    Entry e = new Entry(baseDn);
    if (attr.equalsIgnoreCase("dc")) {
      e.addAttribute("objectClass", "top", "domain");
    } else if (attr.equalsIgnoreCase("o")) {
      e.addAttribute("objectClass", "top", "organization");
    } else {
      e.addAttribute("objectClass", "top", "organizationalUnit");
    }
    e.addAttribute(attr, value);
    return e;
  }

  /** The in-process server, for publishing (writes bypass the network and its access rules). */
  public InMemoryDirectoryServer server() {
    return server;
  }

  public String baseDn() {
    return baseDn;
  }

  public int port() {
    return server.getListenPort();
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
