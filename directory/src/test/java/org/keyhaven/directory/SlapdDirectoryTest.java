package org.keyhaven.directory;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPConnection;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.directory.ldap.LdapDirectoryPublisher;

/** The conformance suite against Debian's slapd: external publication (--ldap-publish-url). */
class SlapdDirectoryTest extends DirectoryConformance {
  static SlapdPeer slapd;
  static LDAPConnectionPool pool;
  static LdapDirectoryPublisher publisher;

  @BeforeAll
  static void start() throws Exception {
    slapd = SlapdPeer.start(BASE);
    LDAPConnection c = new LDAPConnection("127.0.0.1", slapd.port, SlapdPeer.ROOT_DN,
        SlapdPeer.ROOT_PW);
    pool = new LDAPConnectionPool(c, 2);
    publisher = new LdapDirectoryPublisher(pool, BASE, true, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    if (pool != null) {
      pool.close();
    }
    if (slapd != null) {
      slapd.close();
    }
  }

  @Override
  protected LdapDirectoryPublisher publisher() {
    return publisher;
  }

  @Override
  protected int port() {
    return slapd.port;
  }

  @Override
  protected String writerUrl() {
    return url() + "/????bindname=" + SlapdPeer.ROOT_DN.replace(",", "%2C") + ",password="
        + SlapdPeer.ROOT_PW;
  }

  @Test
  void skeletonIsCreatedOnFirstUse() {
    publisher.publishedMailboxes();
    Tools.Result info = Tools.run("ldapsearch", "-x", "-LLL", "-H", url(), "-b",
        "cn=pgpServerInfo," + BASE, "-s", "base", "pgpBaseKeySpaceDN");
    assertThat(info.out()).contains("pgpBaseKeySpaceDN: ou=GnuPG Keys," + BASE);
  }
}
