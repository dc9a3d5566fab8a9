package org.keyhaven.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.common.PkiException;
import org.keyhaven.directory.ldap.LdapDirectoryPublisher;
import org.keyhaven.directory.ldap.PgpKeyParser;

/**
 * What Thunderbird, Evolution, curl/dirmngr and gpg see, run with the real tools against one
 * backend; the embedded server and slapd both extend this, so the two behave the same.
 */
abstract class DirectoryConformance {
  static final String BASE = "dc=example,dc=org";
  static final List<Path> GNUPG_HOMES = new ArrayList<>();

  protected abstract LdapDirectoryPublisher publisher();

  protected abstract int port();

  /** The gpg keyserver URL with credentials allowed to write keys. */
  protected abstract String writerUrl();

  protected String url() {
    return "ldap://127.0.0.1:" + port();
  }

  /** Values of {@code attr} (base64 ldif) in ldapsearch output, decoded. */
  static List<byte[]> ldifValues(String ldif, String attr) {
    List<byte[]> out = new ArrayList<>();
    for (String line : ldif.split("\n")) {
      if (line.toLowerCase().startsWith(attr.toLowerCase() + ":: ")) {
        out.add(Base64.getDecoder().decode(line.substring(attr.length() + 3).trim()));
      }
    }
    return out;
  }

  Tools.Result ldapsearch(String filter, String... attrs) {
    List<String> cmd = new ArrayList<>(List.of("ldapsearch", "-x", "-LLL", "-o",
        "ldif-wrap=no", "-H", url(), "-b", BASE, filter));
    cmd.addAll(List.of(attrs));
    return Tools.run(cmd.toArray(new String[0]));
  }

  @Test
  void thunderbirdAndEvolutionSearches_returnTheCertificate_untilWithdrawn() {
    Tools.require("ldapsearch");
    TestPki pki = new TestPki("Conformance CA " + getClass().getSimpleName());
    byte[] cert = pki.issue("Alice Example", "alice@example.org");
    publisher().publishCertificate(cert);
    publisher().publishCertificate(cert); // idempotent: the outbox may deliver twice

    // Thunderbird: (mail=a) asking only for usercertificate;binary.
    Tools.Result tb = ldapsearch("(mail=alice@example.org)", "usercertificate;binary");
    assertThat(tb.exit()).as(tb.stderr()).isZero();
    assertThat(tb.stderr()).isEmpty();
    assertThat(ldifValues(tb.out(), "userCertificate;binary")).singleElement()
        .isEqualTo(cert);
    // Evolution: (&(userCertificate=*)(|(mail=a))), all attributes.
    Tools.Result evo = ldapsearch("(&(userCertificate=*)(|(mail=ALICE@example.org)))");
    assertThat(evo.exit()).as(evo.stderr()).isZero();
    assertThat(ldifValues(evo.out(), "userCertificate;binary")).singleElement()
        .isEqualTo(cert);

    byte[] second = pki.issue("Alice Example", "alice@example.org");
    publisher().publishCertificate(second);
    assertThat(ldifValues(ldapsearch("(mail=alice@example.org)", "userCertificate;binary")
        .out(), "userCertificate;binary")).hasSize(2);

    publisher().withdrawCertificate(cert);
    publisher().withdrawCertificate(second);
    Tools.Result gone = ldapsearch("(mail=alice@example.org)", "userCertificate;binary");
    assertThat(gone.exit()).isZero();
    assertThat(gone.out()).doesNotContain("alice@example.org");
  }

  /** The certificates {@code openssl pkcs7 -inform DER -print_certs} finds in a PKCS#7 value. */
  static List<byte[]> opensslPkcs7Certs(Path dir, byte[] p7) throws Exception {
    Path in = Files.createTempFile(dir, "smime", ".p7");
    Files.write(in, p7);
    Tools.Result r = Tools.run("openssl", "pkcs7", "-inform", "DER", "-in", in.toString(),
        "-print_certs");
    assertThat(r.exit()).as(r.stderr()).isZero();
    List<byte[]> out = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile(
        "-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", java.util.regex.Pattern.DOTALL)
        .matcher(r.out());
    while (m.find()) {
      out.add(Base64.getMimeDecoder().decode(m.group(1)));
    }
    return out;
  }

  @Test
  void userSmimeCertificate_isACertsOnlyPkcs7_withTheSameCertificates(@TempDir Path dir)
      throws Exception {
    Tools.require("ldapsearch");
    Tools.require("openssl");
    String mail = "carol-" + getClass().getSimpleName().toLowerCase() + "@example.org";
    TestPki pki = new TestPki("SMIME CA " + getClass().getSimpleName());
    byte[] cert = pki.issue("Carol Example", mail);
    publisher().publishCertificate(cert);

    Tools.Result r = ldapsearch("(mail=" + mail + ")", "userSMIMECertificate");
    assertThat(r.exit()).as(r.stderr()).isZero();
    // RFC 2798's attribute has Binary syntax: returned under its plain name, never ;binary.
    List<byte[]> p7 = ldifValues(r.out(), "userSMIMECertificate");
    assertThat(p7).singleElement();
    assertThat(opensslPkcs7Certs(dir, p7.get(0))).singleElement().isEqualTo(cert);

    byte[] second = pki.issue("Carol Example", mail);
    publisher().publishCertificate(second);
    p7 = ldifValues(ldapsearch("(mail=" + mail + ")", "userSMIMECertificate").out(),
        "userSMIMECertificate");
    assertThat(p7).singleElement();
    assertThat(opensslPkcs7Certs(dir, p7.get(0))).hasSize(2)
        .anySatisfy(c -> assertThat(c).isEqualTo(cert))
        .anySatisfy(c -> assertThat(c).isEqualTo(second));

    // Revocation withdraws from both attributes at once.
    publisher().withdrawCertificate(cert);
    p7 = ldifValues(ldapsearch("(mail=" + mail + ")", "userSMIMECertificate").out(),
        "userSMIMECertificate");
    assertThat(opensslPkcs7Certs(dir, p7.get(0))).singleElement().isEqualTo(second);
    publisher().withdrawCertificate(second);
    assertThat(ldapsearch("(userSMIMECertificate=*)", "mail").out()).doesNotContain(mail);
  }

  @Test
  void expiredCertificates_areNotPublished() {
    TestPki pki = new TestPki("Expiry CA " + getClass().getSimpleName());
    byte[] old = pki.issue("Old", "old@example.org", Instant.now().minusSeconds(86400 * 10), 1);
    publisher().publishCertificate(old);
    assertThat(publisher().certificatesFor("old@example.org")).isEmpty();
  }

  @Test
  void garbage_isMalformed_andNothingIsStored() {
    assertThatThrownBy(() -> publisher().publishCertificate(new byte[] {0x30, 0x03, 1, 2, 3}))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(org.keyhaven.common.ErrorKind.MALFORMED));
    assertThatThrownBy(() -> publisher().publishCrl("not a crl".getBytes()))
        .isInstanceOf(PkiException.class);
    TestPki pki = new TestPki("Garbage CA " + getClass().getSimpleName());
    assertThatThrownBy(() -> publisher().publishCertificate(pki.caCert))
        .isInstanceOf(PkiException.class);
  }

  @Test
  void crlFetchedWithCurlLdapUrl_isAcceptedByOpenssl(@TempDir Path dir) throws Exception {
    Tools.require("curl");
    TestPki pki = new TestPki("Curl CA " + getClass().getSimpleName());
    byte[] victim = pki.issue("Bob", "bob-" + getClass().getSimpleName() + "@example.org");
    String mailbox = "bob-" + getClass().getSimpleName().toLowerCase() + "@example.org";
    publisher().publishCertificate(victim);
    publisher().publishCaCertificate(pki.caCert);
    byte[] crl2 = pki.crl(2, -1, pki.lastSerial());
    assertThat(publisher().publishCrl(crl2)).containsExactly(Long.toHexString(pki.lastSerial()));
    publisher().publishCrl(pki.crl(1, -1)); // stale: CRL number 1 < 2 is ignored
    publisher().publishCrl(pki.crl(3, 2)); // delta
    publisher().withdrawCertificate(victim);
    assertThat(publisher().certificatesFor(mailbox)).isEmpty();

    String dn = publisher().layout().caDn("Curl CA " + getClass().getSimpleName());
    String ldapUrl = url() + "/" + dn.replace(" ", "%20") + "?certificateRevocationList;binary";
    Path file = dir.resolve("crl.der");
    Tools.Result curl = Tools.run("curl", "-sS", "-o", file.toString(), ldapUrl);
    assertThat(curl.exit()).as(curl.stderr()).isZero();
    // curl prints LDIF-ish text for ldap:// URLs; the value is base64 after "::" on one line.
    String text = Files.readString(file);
    byte[] fetched = null;
    for (String line : text.split("\n")) {
      String t = line.trim();
      if (t.toLowerCase().startsWith("certificaterevocationlist;binary:")) {
        fetched = Base64.getDecoder().decode(t.substring(t.indexOf(':') + 1).replace(":", "")
            .trim());
      }
    }
    assertThat(fetched).as(text).isEqualTo(crl2);
    Path der = dir.resolve("fetched.der");
    Files.write(der, fetched);
    Tools.Result openssl = Tools.run("openssl", "crl", "-inform", "DER", "-in", der.toString(),
        "-noout", "-text");
    assertThat(openssl.exit()).as(openssl.stderr()).isZero();
    assertThat(openssl.out()).containsPattern("CRL Number:\\s*\\n\\s*2\\s*\\n");
  }

  Tools.Result gpg(Path home, String... args) {
    List<String> cmd = new ArrayList<>(List.of("gpg", "--batch", "--no-tty"));
    cmd.addAll(List.of(args));
    return Tools.run(Map.of("GNUPGHOME", home.toString()), cmd.toArray(new String[0]));
  }

  Path gnupgHome(String conf) throws Exception {
    Path home = Files.createTempDirectory("kh-gpg");
    Files.setPosixFilePermissions(home,
        java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    Files.writeString(home.resolve("dirmngr.conf"), conf);
    GNUPG_HOMES.add(home);
    return home;
  }

  @AfterAll
  static void killDirmngrs() {
    for (Path home : GNUPG_HOMES) {
      Tools.run(Map.of("GNUPGHOME", home.toString()), "gpgconf", "--kill", "all");
    }
    GNUPG_HOMES.clear();
  }

  @Test
  void gpgSendTwice_recvByFingerprintAndKeyId_andSearchByMailbox() throws Exception {
    Tools.require("gpg");
    Tools.require("dirmngr");
    String who = "carol-" + getClass().getSimpleName().toLowerCase() + "@example.org";
    Path writer = gnupgHome("keyserver " + writerUrl() + "\n");
    assertThat(gpg(writer, "--passphrase", "", "--quick-gen-key", "Carol <" + who + ">",
        "ed25519", "sign", "1y").exit()).isZero();
    String fpr = gpg(writer, "--with-colons", "--list-keys", who).out().lines()
        .filter(l -> l.startsWith("fpr:")).findFirst().orElseThrow().split(":")[9];
    assertThat(gpg(writer, "--passphrase", "", "--quick-add-key", fpr, "cv25519", "encr", "1y")
        .exit()).isZero();
    Tools.Result first = gpg(writer, "--send-keys", fpr);
    assertThat(first.exit()).as(first.stderr()).isZero();
    Tools.Result second = gpg(writer, "--send-keys", fpr);
    assertThat(second.exit()).as(second.stderr()).isZero();

    Path reader = gnupgHome("keyserver " + url() + "\n");
    Tools.Result byFpr = gpg(reader, "--recv-keys", fpr);
    assertThat(byFpr.exit()).as(byFpr.stderr()).isZero();
    Path reader2 = gnupgHome("keyserver " + url() + "\n");
    Tools.Result byId = gpg(reader2, "--recv-keys", fpr.substring(24));
    assertThat(byId.exit()).as(byId.stderr()).isZero();
    assertThat(gpg(reader2, "--list-keys", fpr).exit()).isZero();
    Tools.Result search = gpg(reader, "--search-keys", "<" + who + ">");
    assertThat(search.out() + search.stderr()).contains(who);
  }

  @Test
  void publishedKey_isFoundByGpg_andRevocationIsMarked() throws Exception {
    Tools.require("gpg");
    String who = "dave-" + getClass().getSimpleName().toLowerCase() + "@example.org";
    Path owner = gnupgHome("");
    gpg(owner, "--passphrase", "", "--quick-gen-key", "Dave <" + who + ">", "rsa2048", "sign",
        "1y");
    byte[] keyring = gpg(owner, "--export", who).stdout();
    PgpKeyFacts facts = PgpKeyParser.parse(keyring);
    assertThat(facts.mailboxes()).containsExactly(who);
    publisher().publishKey(facts);
    publisher().publishKey(facts);
    Path reader = gnupgHome("keyserver " + url() + "\n");
    Tools.Result recv = gpg(reader, "--recv-keys", facts.fingerprint());
    assertThat(recv.exit()).as(recv.stderr()).isZero();
    Tools.Result attrs = ldapsearch("(gpgMailbox=" + who + ")", "pgpRevoked", "pgpKeyType",
        "pgpKeySize");
    assertThat(attrs.out()).contains("pgpRevoked: 0").contains("pgpKeyType: RSA")
        .contains("pgpKeySize: 02048");
    PgpKeyFacts revoked = new PgpKeyFacts(facts.fingerprint(), facts.keyId(),
        facts.subkeyFingerprints(), facts.subkeyIds(), facts.userIds(), facts.mailboxes(),
        facts.created(), facts.expires(), true, facts.algorithm(), facts.bits(), facts.keyring());
    publisher().publishKey(revoked);
    assertThat(ldapsearch("(gpgMailbox=" + who + ")", "pgpRevoked").out())
        .contains("pgpRevoked: 1");
    assertThat(publisher().publishedKeyFingerprints()).contains(facts.fingerprint());
    publisher().removeKey(facts.fingerprint());
    assertThat(publisher().publishedKeyFingerprints()).doesNotContain(facts.fingerprint());
  }
}
