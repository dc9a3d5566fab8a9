package org.keyhaven.server.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The directory's TLS flags of {@code keyhaven serve}: off unless asked for. */
class ServeFlagsTest {
  static ServeCommand parse(String... args) {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args);
    return serve;
  }

  @Test
  void tlsIsOffByDefault_andTheFlagsTurnItOn() {
    var plain = parse().config();
    assertThat(plain.ldapsPort()).isZero();
    assertThat(plain.ldapStartTls()).isFalse();
    assertThat(plain.bind()).isEqualTo("127.0.0.1");

    var tls = parse("--ldaps-port", "1636", "--ldap-starttls").config();
    assertThat(tls.ldapsPort()).isEqualTo(1636);
    assertThat(tls.ldapStartTls()).isTrue();
    assertThat(tls.embeddedDirectory()).isTrue();

    assertThat(parse("--no-ldap-starttls").config().ldapStartTls()).isFalse();
    // LDAPS alone runs the embedded directory even with the plain listener off.
    assertThat(parse("--ldap-port", "0", "--ldaps-port", "1636").config().embeddedDirectory())
        .isTrue();
  }
}
