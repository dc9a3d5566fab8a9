package org.keyhaven.directory.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.OperationType;
import com.unboundid.ldap.sdk.schema.Schema;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.EnumSet;
import org.keyhaven.common.PkiException;
import org.keyhaven.directory.ldap.DirectoryLayout;
import org.keyhaven.directory.ldap.PersonMirror;

/**
 * The embedded LDAP server (UnboundID's in-memory directory) that serves the certificate directory
 * when no external OpenLDAP is configured. The database is the source of truth; this server's
 * contents are rebuilt from it at start.
 */
public final class EmbeddedDirectory implements AutoCloseable {
  /** Attributes with an equality index: every lookup key of Thunderbird, Evolution and gpg. */
  static final String[] INDEXED = {
    "mail", "uid", "cn", "gpgMailbox", "gpgFingerprint", "gpgSubFingerprint", "pgpCertID",
    "pgpKeyID"
  };

  private static final String LDAP = "ldap";
  private static final String LDAPS = "ldaps";

  private final InMemoryDirectoryServer server;
  private final String baseDn;
  private final PeopleIndex people;

  private EmbeddedDirectory(InMemoryDirectoryServer server, String baseDn, PeopleIndex people) {
    this.server = server;
    this.baseDn = baseDn;
    this.people = people;
  }

  /**
   * Limits and the optional OpenPGP writer account.
   *
   * @param keyWriterDn bind DN allowed to write OpenPGP keys over LDAP (gpg --send-keys), or null
   *     for a read-only listener; anonymous writes are always refused
   */
  public record Options(String baseDn, String bind, int port, int maxSizeLimit,
      int maxTimeLimitSeconds, int maxConnections, String keyWriterDn, String keyWriterPassword,
      Tls tls) {

    public static Options defaults(String baseDn, String bind, int port) {
      return new Options(baseDn, bind, port, 1000, 10, 256, null, null, null);
    }

    public Options withKeyWriter(String dn, String password) {
      return new Options(baseDn, bind, port, maxSizeLimit, maxTimeLimitSeconds, maxConnections,
          dn, password, tls);
    }

    public Options withLimits(int sizeLimit, int timeLimitSeconds) {
      return new Options(baseDn, bind, port, sizeLimit, timeLimitSeconds, maxConnections,
          keyWriterDn, keyWriterPassword, tls);
    }

    /** Adds LDAPS and/or StartTLS (see {@link Tls}). */
    public Options withTls(Tls t) {
      return new Options(baseDn, bind, port, maxSizeLimit, maxTimeLimitSeconds, maxConnections,
          keyWriterDn, keyWriterPassword, t);
    }
  }

  /**
   * TLS for the listeners. The context's key manager supplies the server certificate at each
   * handshake, so a renewed certificate is used without restarting the listeners.
   *
   * @param ldapsPort port of an LDAPS listener (TLS from the first byte, RFC 8314 style), 0 = any
   *     free port, -1 = none
   * @param startTls whether the plain listener offers the StartTLS extended operation (RFC 4511
   *     §4.14); without it, StartTLS gets an LDAP error result
   */
  public record Tls(javax.net.ssl.SSLContext context, int ldapsPort, boolean startTls) {}

  /** Starts a read-mostly directory under {@code baseDn} on {@code bind:port} (0 = any port). */
  public static EmbeddedDirectory start(String baseDn, String bind, int port) {
    return start(Options.defaults(baseDn, bind, port));
  }

  /** Starts the directory with the base entries, the GnuPG schema and the compat interceptor. */
  public static EmbeddedDirectory start(Options o) {
    try {
      PeopleIndex people = new PeopleIndex(SCHEMA, o.baseDn(),
          new DirectoryLayout(o.baseDn()).peopleDn());
      InMemoryDirectoryServer server = new InMemoryDirectoryServer(config(o, true, people));
      addSkeleton(server, o.baseDn());
      server.startListening();
      return new EmbeddedDirectory(server, o.baseDn(), people);
    } catch (LDAPException | java.net.UnknownHostException e) {
      throw PkiException.internal(e, "cannot start the embedded LDAP directory");
    }
  }

  static InMemoryDirectoryServerConfig config(Options o, boolean listen, PeopleIndex people)
      throws LDAPException, java.net.UnknownHostException {
    InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(o.baseDn());
    if (listen) {
      cfg.setListenerConfigs(listeners(o));
    }
    cfg.setSchema(SCHEMA);
    // Anonymous reads are the point of a public certificate directory; writes over the network
    // need a bind (RFC 4513 §5.1.1 anonymous), and the interceptor confines them to OpenPGP keys.
    cfg.setAuthenticationRequiredOperationTypes(EnumSet.of(OperationType.ADD,
        OperationType.DELETE, OperationType.MODIFY, OperationType.MODIFY_DN));
    if (o.keyWriterDn() != null) {
      cfg.addAdditionalBindCredentials(o.keyWriterDn(), o.keyWriterPassword());
    }
    cfg.setEqualityIndexAttributes(INDEXED);
    cfg.setMaxSizeLimit(o.maxSizeLimit());
    cfg.setMaxConnections(o.maxConnections());
    cfg.setMaxMessageSizeBytes(1024 * 1024);
    cfg.setVendorName("Keyhaven");
    cfg.setVendorVersion(null);
    cfg.addInMemoryOperationInterceptor(new OpenLdapCompatInterceptor(
        new DN(keySpaceDn(o.baseDn())), o.maxTimeLimitSeconds(), people));
    return cfg;
  }

  /**
   * The plain listener (unless {@code port} is -1), with StartTLS when asked, and the LDAPS
   * listener when a port is given. All bind to {@code bind} only.
   */
  static List<InMemoryListenerConfig> listeners(Options o)
      throws LDAPException, java.net.UnknownHostException {
    InetAddress address = InetAddress.getByName(o.bind());
    Tls tls = o.tls();
    List<InMemoryListenerConfig> out = new ArrayList<>();
    if (o.port() >= 0) {
      out.add(InMemoryListenerConfig.createLDAPConfig(LDAP, address, o.port(),
          tls != null && tls.startTls() ? tls.context().getSocketFactory() : null));
    }
    if (tls != null && tls.ldapsPort() >= 0) {
      out.add(InMemoryListenerConfig.createLDAPSConfig(LDAPS, address, tls.ldapsPort(),
          tls.context().getServerSocketFactory(), null));
    }
    if (out.isEmpty()) {
      throw new LDAPException(com.unboundid.ldap.sdk.ResultCode.PARAM_ERROR,
          "the embedded directory needs an LDAP or an LDAPS port");
    }
    return out;
  }

  static final Schema SCHEMA = schema();

  /** The standard schema plus GnuPG's keyserver schema. */
  static Schema schema() {
    try (InputStream in = EmbeddedDirectory.class.getResourceAsStream("gnupg-schema.ldif")) {
      return Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(in));
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot load the GnuPG LDAP schema");
    }
  }

  /** Where gpg's pgpServerInfo says keys live ({@code ou=GnuPG Keys}, as gnupg's init LDIF). */
  public static String keySpaceDn(String baseDn) {
    return new DirectoryLayout(baseDn).keySpaceDn();
  }

  static void addSkeleton(InMemoryDirectoryServer server, String baseDn) throws LDAPException {
    for (Entry e : new DirectoryLayout(baseDn).skeleton()) {
      server.add(e);
    }
  }

  /** Drops every entry and restores the skeleton, before a rebuild from the database. */
  public void clear() {
    try {
      server.clear();
      people.clear();
      addSkeleton(server, baseDn);
    } catch (LDAPException e) {
      throw PkiException.internal(e, "cannot reset the embedded LDAP directory");
    }
  }

  /**
   * The in-process server (writes bypass the network and its access rules). Person entries must
   * be written through {@link #publisher}, which keeps the people index in step; a person entry
   * written here directly would not be found by mail lookups.
   */
  public InMemoryDirectoryServer server() {
    return server;
  }

  /**
   * Where the publisher reports person entries it writes: the read model that answers mail
   * lookups ({@link PeopleIndex}). A publisher writing person entries into {@link #server()}
   * must be given this, or lookups will not see its writes.
   */
  public PersonMirror people() {
    return people;
  }

  /** How many searches the people index has answered (for tests and diagnostics). */
  long indexAnswers() {
    return people.answered.sum();
  }

  /** The publisher for this directory: in-process writes, reported to {@link #people()}. */
  public org.keyhaven.directory.ldap.LdapDirectoryPublisher publisher(java.time.Clock clock) {
    return new org.keyhaven.directory.ldap.LdapDirectoryPublisher(server, baseDn, false, clock,
        people);
  }

  public String baseDn() {
    return baseDn;
  }

  /** The plain LDAP port, or -1 when there is only an LDAPS listener. */
  public int port() {
    return server.getListenPort(LDAP);
  }

  /** The LDAPS port, or -1 when there is no LDAPS listener. */
  public int ldapsPort() {
    return server.getListenPort(LDAPS);
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
