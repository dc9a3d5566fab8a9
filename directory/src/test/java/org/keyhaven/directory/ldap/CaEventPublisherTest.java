package org.keyhaven.directory.ldap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.directory.TestPki;
import org.keyhaven.directory.embedded.EmbeddedDirectory;

/** The CA port adapter: outbox events in, entries out; a CRL withdraws what it lists. */
class CaEventPublisherTest {
  static EmbeddedDirectory directory;
  static LdapDirectoryPublisher publisher;

  @BeforeAll
  static void start() {
    directory = EmbeddedDirectory.start("dc=example,dc=org", "127.0.0.1", 0);
    publisher = directory.publisher(Clock.systemUTC());
  }

  @AfterAll
  static void stop() {
    directory.close();
  }

  static PublicationEvent event(PublicationEvent.Kind kind, byte[] der) {
    return new PublicationEvent(1, kind, "ca-mail", null, "CN=x", List.of(), Bytes.copyOf(der),
        Instant.now());
  }

  @Test
  void crlEvent_withdrawsTheCertificatesItLists() {
    TestPki pki = new TestPki("Adapter CA");
    byte[] cert = pki.issue("Hank", "hank@example.org");
    String serial = Long.toHexString(pki.lastSerial());
    CaEventPublisher adapter = new CaEventPublisher(publisher,
        (ca, s) -> Map.of(serial, cert).get(s));
    adapter.publish(event(PublicationEvent.Kind.CA_CERTIFICATE, pki.caCert));
    adapter.publish(event(PublicationEvent.Kind.END_ENTITY_CERTIFICATE, cert));
    assertThat(publisher.certificatesFor("Hank@Example.org")).singleElement().isEqualTo(cert);
    adapter.publish(event(PublicationEvent.Kind.CRL, pki.crl(5, -1, pki.lastSerial())));
    assertThat(publisher.certificatesFor("hank@example.org")).isEmpty();
  }

  @Test
  void crlOfAnUnknownCa_isRetryable_andAForgedCrlIsMalformed() {
    TestPki unknown = new TestPki("Unpublished CA");
    assertThatThrownBy(() -> new CaEventPublisher(publisher, (ca, s) -> null)
        .publish(event(PublicationEvent.Kind.CRL, unknown.crl(1, -1))))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.UNAVAILABLE));
    TestPki real = new TestPki("Forged CA");
    publisher.publishCaCertificate(real.caCert);
    TestPki impostor = new TestPki("Forged CA"); // same name, different key
    assertThatThrownBy(() -> publisher.publishCrl(impostor.crl(9, -1)))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED));
  }
}
