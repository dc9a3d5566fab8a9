package org.keyhaven.directory.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.directory.DirectoryConformanceAccess;
import org.keyhaven.directory.TestPki;
import org.keyhaven.directory.ldap.LdapDirectoryPublisher;

/** The conformance suite against the embedded server, plus its access rules and limits. */
class EmbeddedDirectoryTest extends DirectoryConformanceAccess {
  static final String WRITER = "cn=keywriter,dc=example,dc=org";
  static EmbeddedDirectory directory;
  static LdapDirectoryPublisher publisher;

  @BeforeAll
  static void start() {
    directory = EmbeddedDirectory.start(EmbeddedDirectory.Options
        .defaults(BASE, "127.0.0.1", 0).withKeyWriter(WRITER, "s3cret").withLimits(5, 2));
    publisher = new LdapDirectoryPublisher(directory.server(), BASE, false, Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    directory.close();
  }

  @Override
  protected LdapDirectoryPublisher publisher() {
    return publisher;
  }

  @Override
  protected int port() {
    return directory.port();
  }

  @Override
  protected String writerUrl() {
    return url() + "/????bindname=" + WRITER.replace(",", "%2C") + ",password=s3cret";
  }

  LDAPConnection connect() throws LDAPException {
    return new LDAPConnection("127.0.0.1", directory.port());
  }

  @Test
  void rootDseAndPgpServerInfo_areReadableAnonymously() throws Exception {
    try (LDAPConnection c = connect()) {
      assertThat(c.getRootDSE().getNamingContextDNs()).contains(BASE);
      Entry info = c.getEntry("cn=pgpServerInfo," + BASE);
      assertThat(info.getAttributeValue("pgpBaseKeySpaceDN")).isEqualTo("ou=GnuPG Keys," + BASE);
      assertThat(info.getAttributeValue("pgpSoftware")).isEqualTo("GnuPG");
    }
  }

  @Test
  void anonymousWrites_areRefused_andBoundWritesStayInTheKeySpace() throws Exception {
    Entry person = new Entry("uid=mallory@example.org,ou=people," + BASE,
        new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "inetOrgPerson"),
        new com.unboundid.ldap.sdk.Attribute("uid", "mallory@example.org"),
        new com.unboundid.ldap.sdk.Attribute("cn", "M"),
        new com.unboundid.ldap.sdk.Attribute("sn", "M"));
    try (LDAPConnection c = connect()) {
      assertThatThrownBy(() -> c.add(person)).isInstanceOfSatisfying(LDAPException.class,
          e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
      assertThatThrownBy(() -> c.delete("ou=people," + BASE))
          .isInstanceOf(LDAPException.class);
    }
    try (LDAPConnection c = connect()) {
      c.bind(WRITER, "s3cret");
      assertThatThrownBy(() -> c.add(person)).isInstanceOfSatisfying(LDAPException.class,
          e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INSUFFICIENT_ACCESS_RIGHTS));
    }
    try (LDAPConnection c = connect()) {
      assertThatThrownBy(() -> c.bind(WRITER, "wrong")).isInstanceOf(LDAPException.class);
    }
  }

  @Test
  void sizeLimit_badBase_andBadFilter_giveLdapErrors() throws Exception {
    TestPki pki = new TestPki("Limits CA");
    for (int i = 0; i < 8; i++) {
      publisher.publishCertificate(pki.issue("User " + i, "limit" + i + "@example.org"));
    }
    try (LDAPConnection c = connect()) {
      SearchResult r;
      try {
        r = c.search(new SearchRequest("ou=people," + BASE, SearchScope.SUB,
            "(mail=limit*)", "mail"));
      } catch (LDAPException e) {
        r = ((com.unboundid.ldap.sdk.LDAPSearchException) e).getSearchResult();
      }
      assertThat(r.getResultCode()).isEqualTo(ResultCode.SIZE_LIMIT_EXCEEDED);
      assertThat(r.getEntryCount()).isEqualTo(5);
      assertThatThrownBy(() -> c.search("this is not a DN", SearchScope.SUB, "(mail=x)"))
          .isInstanceOfSatisfying(LDAPException.class,
              e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.INVALID_DN_SYNTAX));
      assertThatThrownBy(() -> c.search("cn=nope," + BASE, SearchScope.SUB, "(mail=x)"))
          .isInstanceOfSatisfying(LDAPException.class,
              e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.NO_SUCH_OBJECT));
      // An extensible match with an unknown matching rule is a well-formed but unusable filter.
      assertThatThrownBy(() -> c.search(BASE, SearchScope.SUB, "(mail:1.2.3.4:=x)"))
          .isInstanceOf(LDAPException.class);
      // The server is still serving after all of that.
      assertThat(c.getEntry("cn=pgpServerInfo," + BASE)).isNotNull();
    }
  }
}
