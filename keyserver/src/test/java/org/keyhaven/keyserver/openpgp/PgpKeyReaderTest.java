package org.keyhaven.keyserver.openpgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.keyhaven.keyserver.Fixtures.T0;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.Fixtures;
import org.keyhaven.keyserver.openpgp.SyntheticKeys.Identity;

class PgpKeyReaderTest {
  private final PgpKeyReader reader = new PgpKeyReader(PgpLimits.defaults());

  @Test
  void read_syntheticKey_givesOneBlockWithUserIdAndSubkey() {
    Identity a = Fixtures.alice();
    List<PgpKeyReader.Item> items = reader.read(SyntheticKeys.publicKey(a));
    assertThat(items).hasSize(1);
    KeyBlock b = (KeyBlock) items.get(0);
    assertThat(b.fingerprint()).isEqualTo(Fingerprint.of(a.publicKey().getFingerprint()));
    assertThat(b.userIds).hasSize(1);
    assertThat(b.userIds.get(0).selfSigs()).hasSize(1);
    assertThat(b.subkeys).hasSize(1);
  }

  @Test
  void read_armoredTwoKeys_givesTwoBlocks() {
    String armored = Armor.encodePublicKeys(SyntheticKeys.publicKey(Fixtures.alice()))
        + "\n" + Armor.encodePublicKeys(SyntheticKeys.publicKey(Fixtures.bob()));
    assertThat(reader.read(armored.getBytes(StandardCharsets.US_ASCII))).hasSize(2)
        .allMatch(i -> i instanceof KeyBlock);
  }

  static Stream<Arguments> garbage() {
    byte[] key = SyntheticKeys.publicKey(Fixtures.alice());
    return Stream.of(
        Arguments.of("text", "hello world".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("truncated", Arrays.copyOf(key, key.length - 7)),
        Arguments.of("partial length", new byte[] {(byte) 0xC6, (byte) 0xE1, 1, 2}),
        Arguments.of("indeterminate old length", new byte[] {(byte) 0x9B, 1, 2, 3}),
        Arguments.of("armor without end",
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("armor bad checksum", Armor.encodePublicKeys(key).replaceFirst("\n=....\n",
            "\n=AAAA\n").getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("secret key", "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n"
            .getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("secret key packet", new byte[] {(byte) 0xC5, 1, 4}));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("garbage")
  void read_garbage_failsMalformed(String name, byte[] data) {
    assertThatThrownBy(() -> reader.read(data)).isInstanceOf(PkiException.class)
        .extracting(e -> ((PkiException) e).kind()).isEqualTo(ErrorKind.MALFORMED);
  }

  @Test
  void read_garbageKeyPacket_rejectsJustThatKey() {
    byte[] bad = {(byte) 0xC6, 3, 4, 0, 0};
    List<PgpKeyReader.Item> items = reader.read(Fixtures.concat(bad,
        SyntheticKeys.publicKey(Fixtures.bob())));
    assertThat(items).hasSize(2);
    assertThat(items.get(0)).isInstanceOf(PgpKeyReader.Rejected.class);
    assertThat(items.get(1)).isInstanceOf(KeyBlock.class);
  }

  @Test
  void read_oversizedUserId_rejectsKeyAsTooLarge() {
    Identity a = Fixtures.alice();
    String huge = "x".repeat(5000);
    byte[] data = Fixtures.concat(Fixtures.keyPacket(a), SyntheticKeys.userIdPacket(huge));
    PgpKeyReader.Item item = reader.read(data).get(0);
    assertThat(item).isInstanceOf(PgpKeyReader.Rejected.class);
    assertThat(((PgpKeyReader.Rejected) item).reason().kind()).isEqualTo(ErrorKind.TOO_LARGE);
  }

  @Test
  void read_packetAboveHardLimit_isSkippedAndNextKeyStillRead() {
    byte[] bigUat = Packet.of(Packet.USER_ATTRIBUTE, new byte[200_000]).encoded();
    byte[] data = Fixtures.concat(SyntheticKeys.publicKey(Fixtures.alice()), bigUat,
        SyntheticKeys.publicKey(Fixtures.bob()));
    List<PgpKeyReader.Item> items = reader.read(data);
    assertThat(items).hasSize(2);
    assertThat(((PgpKeyReader.Rejected) items.get(0)).reason().kind())
        .isEqualTo(ErrorKind.TOO_LARGE);
    assertThat(items.get(1)).isInstanceOf(KeyBlock.class);
  }

  @Test
  void read_flood_keepsOnlyNewestCandidates() {
    Identity v = Fixtures.alice();
    byte[] flood = SyntheticKeys.flood(v, Fixtures.attackers(3), 2500, T0.plusSeconds(100_000));
    PgpLimits d = PgpLimits.defaults();
    PgpLimits small = new PgpLimits(d.maxKeyPacketBytes(), d.maxUserIdBytes(),
        d.maxUserAttributeBytes(), d.maxSignatureBytes(), d.maxUserIds(), d.maxSubkeys(),
        d.maxSelfSigsPerComponent(), 1000);
    KeyBlock b = (KeyBlock) new PgpKeyReader(small).read(flood).get(0);
    List<Sig> kept = b.userIds.get(0).otherSigs();
    assertThat(kept).hasSize(1000);
    assertThat(b.droppedThirdParty()).isEqualTo(1500);
    assertThat(kept.get(0).created()).isEqualTo(T0.plusSeconds(100_000));
    assertThat(kept.get(kept.size() - 1).created()).isEqualTo(T0.plusSeconds(100_000 - 999));
  }

  @Test
  void armor_roundTrip_isExact() {
    byte[] key = SyntheticKeys.publicKey(Fixtures.carol());
    String a = Armor.encodePublicKeys(key);
    assertThat(Armor.decode(a.getBytes(StandardCharsets.US_ASCII))).isEqualTo(key);
    assertThat(a).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n")
        .endsWith("-----END PGP PUBLIC KEY BLOCK-----\n");
  }

  @Test
  void syntheticKeys_areDeterministic() {
    assertThat(SyntheticKeys.publicKey(Fixtures.alice()))
        .isEqualTo(SyntheticKeys.publicKey(Fixtures.alice()));
  }
}
