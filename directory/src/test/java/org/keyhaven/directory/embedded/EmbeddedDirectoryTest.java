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
    publisher = directory.publisher(Clock.systemUTC());
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

  /** The same request answered the slow way: any control sends it to the in-memory server. */
  static SearchRequest slow(SearchRequest r) {
    SearchRequest d = r.duplicate();
    d.addControl(new com.unboundid.ldap.sdk.controls.ManageDsaITRequestControl(false));
    return d;
  }

  static java.util.Set<String> answers(LDAPConnection c, SearchRequest r) throws Exception {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (var e : c.search(r).getSearchEntries()) {
      for (var a : e.getAttributes()) {
        for (byte[] v : a.getValueByteArrays()) {
          out.add(e.getParsedDN().toNormalizedString() + " " + a.getName().toLowerCase()
              + "=" + java.util.HexFormat.of().formatHex(v));
        }
      }
      out.add(e.getParsedDN().toNormalizedString());
    }
    return out;
  }

  @Test
  void peopleIndex_answersExactlyWhatTheInMemoryServerAnswers() throws Exception {
    TestPki pki = new TestPki("Index CA");
    publisher.publishCertificate(pki.issue("Dana Index", "dana@example.org"));
    publisher.publishCertificate(pki.issue("Dana Index", "dana@example.org"));
    byte[] gone = pki.issue("Eve Index", "eve@example.org");
    publisher.publishCertificate(gone);
    publisher.publishCertificate(pki.issue("Fay Index", "fay@example.org"));
    publisher.withdrawCertificate(gone);
    String[][] cases = {
      {BASE, "(mail=dana@example.org)", "userCertificate;binary"},
      {BASE, "(mail=DANA@Example.ORG)"},
      {BASE, "(&(userCertificate=*)(|(mail=dana@example.org)))"},
      {BASE, "(&(userCertificate;binary=*)(|(mail=fay@example.org)))", "*"},
      {"ou=people," + BASE, "(uid=fay@example.org)", "mail", "cn", "userSMIMECertificate"},
      {BASE, "(&(mail=dana@example.org)(cn=nobody))", "mail"},
      {BASE, "(mail=eve@example.org)"},
      {BASE, "(mail=nobody@example.org)", "1.1"},
      {BASE, "(mail=dana@example.org)", "1.1"},
      {BASE, "(mail=dana@example.org)", "2.5.4.3", "unknownAttr"},
      {BASE, "(|(mail=dana@example.org)(mail=fay@example.org))", "mail"},
    };
    long before = directory.indexAnswers();
    try (LDAPConnection c = connect()) {
      for (String[] k : cases) {
        String[] attrs = java.util.Arrays.copyOfRange(k, 2, k.length);
        SearchRequest r = new SearchRequest(k[0], SearchScope.SUB, k[1], attrs);
        assertThat(answers(c, r)).as(String.join(" ", k)).isEqualTo(answers(c, slow(r)));
        SearchResult fast = c.search(r);
        assertThat(fast.getResultCode()).isEqualTo(ResultCode.SUCCESS);
        assertThat(fast.getDiagnosticMessage()).isEqualTo(c.search(slow(r)).getDiagnosticMessage());
      }
      assertThat(answers(c, new SearchRequest(BASE, SearchScope.SUB, "(mail=dana@example.org)",
          "userCertificate;binary"))).anyMatch(l -> l.contains(" usercertificate;binary="));
    }
    // Every case but the two-mailbox OR went through the index (twice each), plus the last one.
    assertThat(directory.indexAnswers() - before).isEqualTo((cases.length - 1) * 2 + 1);
    // Network writes may not give a key entry a mail or uid (the index relies on it).
    try (LDAPConnection c = connect()) {
      c.bind(WRITER, "s3cret");
      Entry key = new Entry("pgpCertID=0123456789ABCDEF,ou=GnuPG Keys," + BASE,
          new com.unboundid.ldap.sdk.Attribute("objectClass", "top", "pgpKeyInfo",
              "extensibleObject"),
          new com.unboundid.ldap.sdk.Attribute("pgpCertID", "0123456789ABCDEF"),
          new com.unboundid.ldap.sdk.Attribute("mail", "dana@example.org"));
      assertThatThrownBy(() -> c.add(key)).isInstanceOfSatisfying(LDAPException.class,
          e -> assertThat(e.getResultCode()).isEqualTo(ResultCode.UNWILLING_TO_PERFORM));
    }
  }
}
