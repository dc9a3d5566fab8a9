package org.keyhaven.recipients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WKD hashes agree with GnuPG's own {@code gpg-wks-client --print-wkd-hash}. */
class WkdTest {
  static final Path WKS = Path.of("/usr/lib/gnupg/gpg-wks-client");

  @Test
  void hash_matchesGpgWksClient() throws Exception {
    if (!Files.isExecutable(WKS) && !"true".equals(System.getenv("CI"))) {
      org.junit.jupiter.api.Assumptions.abort("gpg-wks-client not installed");
    }
    List<String> addresses = List.of("alice@example.org", "Joe.Doe@Example.ORG", "x@example.org",
        "a.very.long.local.part+tag@example.org", "Bob_99@mail.example.net");
    for (String a : addresses) {
      Process p = new ProcessBuilder(WKS.toString(), "--print-wkd-hash", a).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
      assertThat(p.waitFor()).isZero();
      String local = a.substring(0, a.indexOf('@'));
      assertThat(out).as(a).startsWith(Wkd.hash(local) + " ");
    }
  }

  @Test
  void zbase32_ofKnownBytes() {
    // RFC 6189 alphabet: 0x00 → "y", 0xff 0xff → "999o" ...
    assertThat(Wkd.zbase32(new byte[] {0})).isEqualTo("yy");
    assertThat(Wkd.zbase32(new byte[] {(byte) 0xff})).isEqualTo("9h");
    assertThat(Wkd.hash("alice")).hasSize(32);
  }

  @Test
  void mailbox_normalisation() {
    assertThat(Mailboxes.normalize(" <Alice@Example.ORG> ")).isEqualTo("alice@example.org");
    for (String bad : new String[] {"", "alice", "@example.org", "alice@", "a@b@c", "a b@c", "<a@b"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> Mailboxes.normalize(bad))
          .isInstanceOf(org.keyhaven.common.PkiException.class);
    }
  }

  /** Fuzz finding (mailbox crash-a79112aa): the echoed address keeps the detail on one line. */
  @Test
  void badMailbox_isEchoedWithoutLineBreaks() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> Mailboxes.normalize("/a@~\u0000\u0000\n\u0000b>"))
        .isInstanceOfSatisfying(org.keyhaven.common.PkiException.class, e ->
            assertThat(e.detail()).doesNotContain("\n", "\u0000").contains("/a@~??"));
  }
}
