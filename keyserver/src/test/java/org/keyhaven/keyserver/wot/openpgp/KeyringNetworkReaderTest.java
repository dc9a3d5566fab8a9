package org.keyhaven.keyserver.wot.openpgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.wot.Certification;
import org.keyhaven.keyserver.wot.Network;

/** The adapter on the scenario keyring and on bad input. */
class KeyringNetworkReaderTest {

  private static final Path SCENARIOS = Path.of("src/test/resources/vectors/wot/scenarios");

  static Stream<Arguments> badInput() throws Exception {
    byte[] armored = Files.readAllBytes(SCENARIOS.resolve("keyring.asc"));
    String text = new String(armored, StandardCharsets.US_ASCII);
    return Stream.of(
        Arguments.of("garbage", "hello, world".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("truncated armor", text.substring(0, text.length() / 2)
            .getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("binary noise", new byte[] {(byte) 0x99, 0x01, 0x0d, 0x04, 0x00}),
        Arguments.of("corrupted base64",
            text.replace('A', '*').getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInput")
  void read_badInput_fails(String name, byte[] input) {
    assertThatThrownBy(() -> KeyringNetworkReader.read(new ByteArrayInputStream(input)))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED));
  }

  @Test
  void read_scenarioKeyring_keepsRevocationsExpiriesAndLevels() {
    OracleFixture f = new OracleFixture("scenarios", SCENARIOS);
    Network n = f.network();
    assertThat(n.keyCount()).isEqualTo(39);
    var expected = f.expected().get("keys");
    // keys GnuPG lists as revoked/expired carry the revocation/expiry time in the model
    expected.fields().forEachRemaining(e -> {
      var node = n.node(e.getKey()).orElseThrow();
      boolean revoked = e.getValue().get("revoked").asBoolean();
      boolean expired = e.getValue().get("expired").asBoolean();
      assertThat(node.revokedAt() != null).as("revoked " + e.getKey()).isEqualTo(revoked);
      assertThat(node.expiresAt() != null).as("expiry " + e.getKey()).isEqualTo(expired);
    });
    long revocations = n.fingerprints().stream().flatMap(k -> n.certificationsOn(k).stream())
        .filter(c -> c.kind() == Certification.Kind.REVOCATION).count();
    long expiring = n.fingerprints().stream().flatMap(k -> n.certificationsOn(k).stream())
        .filter(c -> c.expiresAt() != null).count();
    long persona = n.fingerprints().stream().flatMap(k -> n.certificationsOn(k).stream())
        .filter(c -> c.level() == 1).count();
    assertThat(revocations).isEqualTo(1);
    assertThat(expiring).isEqualTo(1);
    assertThat(persona).isEqualTo(1);
  }

  @Test
  void read_mutatedBinaryKeyring_isMalformedOrReadableNeverAnotherError() throws Exception {
    byte[] binary;
    try (var in = Files.newInputStream(SCENARIOS.resolve("keyring.asc"))) {
      var rings = KeyringNetworkReader.read(in);
      var out = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < 4; i++) {
        rings.get(i).encode(out);
      }
      binary = out.toByteArray();
    }
    java.util.Random rnd = new java.util.Random(7);
    int parsed = 0;
    for (int round = 0; round < 300; round++) {
      byte[] m = binary.clone();
      for (int j = 0; j < 1 + rnd.nextInt(4); j++) {
        m[rnd.nextInt(m.length)] = (byte) rnd.nextInt(256);
      }
      if (rnd.nextBoolean()) {
        m = java.util.Arrays.copyOf(m, rnd.nextInt(m.length));
      }
      try {
        var rings = KeyringNetworkReader.read(new ByteArrayInputStream(m));
        Network n = KeyringNetworkReader.addAll(new org.keyhaven.keyserver.wot.NetworkBuilder(),
            rings).build();
        assertThat(n.keyCount()).isLessThanOrEqualTo(4);
        parsed++;
      } catch (PkiException e) {
        assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED);
      }
    }
    assertThat(parsed).as("some mutations still parse").isPositive();
  }
}
