package org.keyhaven.ca.store.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.CaFixture;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.ca.store.CertificateQuery;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

/** The JDBC certificate store on H2 in PostgreSQL mode (the bootstrap provides CA rows). */
class JdbcCertificateStoreH2Test {
  @TempDir static Path dir;
  static DataSource ds;
  static JdbcCertificateStore store;
  static final CaId CA = CaId.of("ca-mail");
  static final Instant T = Instant.parse("2026-11-24T12:00:00Z");

  @BeforeAll
  static void setUp() {
    CaFixture f = new CaFixture(dir);
    f.ca.bootstrap();
    ds = f.dataSource;
    store = new JdbcCertificateStore(ds);
  }

  static IssuedCertificate cert(BigInteger serial, String subject, String email) {
    byte[] der = ("fake-der-" + serial).getBytes();
    return new IssuedCertificate(serial, CA, "smime-sign", subject, List.of(email), T,
        T.plusSeconds(86400), Bytes.copyOf(der), CertificateStatus.GOOD, T, "ra");
  }

  static PublicationEvent event(IssuedCertificate c) {
    return new PublicationEvent(0, PublicationEvent.Kind.END_ENTITY_CERTIFICATE, CA.value(),
        c.serialHex(), c.subject(), c.emails(), c.der(), T);
  }

  @Test
  void reserveSerial_twice_isConflict() {
    BigInteger s = new BigInteger("1234567890abcdef1", 16);
    store.reserveSerial(CA, s, T);
    assertThatThrownBy(() -> store.reserveSerial(CA, s, T))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
  }

  @Test
  void reserveSerials_isAllOrNone() {
    BigInteger a = new BigInteger("5000000000000000a", 16);
    BigInteger b = new BigInteger("5000000000000000b", 16);
    BigInteger c = new BigInteger("5000000000000000c", 16);
    store.reserveSerials(CA, java.util.List.of(a, b), T);
    assertThatThrownBy(() -> store.reserveSerial(CA, b, T)).isInstanceOf(PkiException.class);
    // c is new but b is not: the whole block is refused and c stays free.
    assertThatThrownBy(() -> store.reserveSerials(CA, java.util.List.of(c, b), T))
        .isInstanceOf(PkiException.class);
    store.reserveSerial(CA, c, T);
  }

  @Test
  void save_withoutReservation_fails() {
    IssuedCertificate c = cert(new BigInteger("77777777777777777", 16), "CN=x", "x@example.org");
    assertThatThrownBy(() -> store.save(c, event(c))).isInstanceOf(PkiException.class);
    assertThat(store.findBySerial(c.serial())).isEmpty();
  }

  @Test
  void saveFindListAndUpdateStatus() {
    BigInteger s = new BigInteger("a1b2c3d4e5f60718", 16);
    store.reserveSerial(CA, s, T);
    IssuedCertificate c = cert(s, "O=Example Org,CN=Zed 100%_", "Zed@Example.org");
    store.save(c, event(c));
    IssuedCertificate got = store.find(CA, s).orElseThrow();
    assertThat(got.der()).isEqualTo(c.der());
    assertThat(got.emails()).containsExactly("zed@example.org");
    assertThat(store.find(CaId.of("ca-high"), s)).isEmpty();
    assertThat(store.list(new CertificateQuery(null, "zed 100%_", null, CA, 0, 10)).items())
        .extracting(IssuedCertificate::serial).containsExactly(s);
    assertThat(store.list(new CertificateQuery(null, "zed 1000", null, CA, 0, 10)).items())
        .isEmpty();
    CertificateStatus revoked = new CertificateStatus(CertificateStatus.State.REVOKED, 1,
        T.plusSeconds(60), T);
    assertThat(store.updateStatus(CA, s, revoked)).isTrue();
    assertThat(store.findBySerial(s).orElseThrow().status()).isEqualTo(revoked);
    assertThat(store.list(new CertificateQuery("zed@example.org", null,
        CertificateStatus.State.REVOKED, null, 0, 10)).items()).hasSize(1);
    assertThat(store.list(new CertificateQuery("zed@example.org", null,
        CertificateStatus.State.GOOD, null, 0, 10)).items()).isEmpty();
  }

  @Test
  void list_pagesWithNextOffset() {
    for (int i = 0; i < 5; i++) {
      BigInteger s = BigInteger.valueOf(0x5000 + i).shiftLeft(64);
      store.reserveSerial(CaId.of("ca-persona"), s, T);
      IssuedCertificate c = new IssuedCertificate(s, CaId.of("ca-persona"), "smime-sign",
          "CN=p" + i, List.of("p" + i + "@x.example"), T, T, Bytes.copyOf(new byte[] {(byte) i,
              9, 9}), CertificateStatus.GOOD, T.plusSeconds(i), "ra");
      store.save(c, event(c));
    }
    var first = store.list(CertificateQuery.byCa(CaId.of("ca-persona"), 0, 3));
    assertThat(first.items()).hasSize(3);
    assertThat(first.nextOffset()).isEqualTo(3);
    var second = store.list(CertificateQuery.byCa(CaId.of("ca-persona"), 3, 3));
    assertThat(second.items()).hasSize(2);
    assertThat(second.nextOffset()).isNull();
  }

  @Test
  void listByEmails_answersAsListDoesPerAddress() {
    CaId ca = CaId.of("ca-persona");
    for (int i = 0; i < 4; i++) {
      BigInteger s = BigInteger.valueOf(0x6000 + i).shiftLeft(64);
      store.reserveSerial(ca, s, T);
      // b@ has three certificates (one naming c@ too), c@ two, nobody@ none.
      List<String> emails = i == 0 ? List.of("b@batch.example", "C@batch.example")
          : i == 3 ? List.of("c@batch.example") : List.of("b@batch.example");
      IssuedCertificate c = new IssuedCertificate(s, ca, "smime-sign", "CN=b" + i, emails, T,
          T, Bytes.copyOf(new byte[] {(byte) i, 8, 8}), CertificateStatus.GOOD,
          T.plusSeconds(i), "ra");
      store.save(c, event(c));
    }
    var got = store.listByEmails(List.of("B@batch.example", "c@batch.example",
        "nobody@batch.example"));
    assertThat(got).containsOnlyKeys("b@batch.example", "c@batch.example");
    for (String e : got.keySet()) {
      assertThat(got.get(e)).isEqualTo(store.list(new CertificateQuery(e, null, null, null, 0,
          CertificateQuery.MAX_LIMIT)).items());
    }
    assertThat(got.get("b@batch.example")).extracting(IssuedCertificate::subject)
        .containsExactly("CN=b2", "CN=b1", "CN=b0");
    assertThat(got.get("c@batch.example").get(1).emails())
        .containsExactly("b@batch.example", "c@batch.example");
  }

  @Test
  void query_rejectsBadPaging() {
    assertThatThrownBy(() -> new CertificateQuery(null, null, null, null, 0, 0))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED));
  }

  @Test
  void outbox_pendingAndMarkPublished() {
    JdbcOutboxStore outbox = new JdbcOutboxStore(ds);
    long id = outbox.append(new PublicationEvent(0, PublicationEvent.Kind.CRL, "ca-mail", null,
        "O=Example Org,CN=Mail", List.of(), Bytes.copyOf(new byte[] {1}), T));
    assertThat(outbox.pending(10_000)).extracting(PublicationEvent::id).contains(id);
    outbox.markFailed(id, "directory down");
    outbox.markPublished(id, T);
    assertThat(outbox.pending(10_000)).extracting(PublicationEvent::id).doesNotContain(id);
  }
}
