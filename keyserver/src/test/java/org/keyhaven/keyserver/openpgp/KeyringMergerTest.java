package org.keyhaven.keyserver.openpgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.keyhaven.keyserver.Fixtures.T0;
import static org.keyhaven.keyserver.Fixtures.concat;
import static org.keyhaven.keyserver.Fixtures.enc;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.bouncycastle.openpgp.PGPSignature;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.keyhaven.keyserver.Fixtures;
import org.keyhaven.keyserver.KeyIndex;
import org.keyhaven.keyserver.openpgp.SyntheticKeys.Identity;

class KeyringMergerTest {
  private static final Identity ALICE = Fixtures.alice();
  private static final String UID2 = "Alice Work <alice@work.example>";
  private final PgpKeyReader reader = new PgpKeyReader(PgpLimits.defaults());
  private final KeyringMerger merger = new KeyringMerger(PgpLimits.defaults());

  /** Pieces of Alice's key, each a valid key block on its own. */
  static List<byte[]> pieces() {
    byte[] key = Fixtures.keyPacket(ALICE);
    return List.of(
        SyntheticKeys.publicKey(ALICE),
        concat(key, SyntheticKeys.userIdPacket(UID2), enc(SyntheticKeys.selfCertification(ALICE,
            UID2, T0.plusSeconds(5), PGPSignature.POSITIVE_CERTIFICATION))),
        concat(key, SyntheticKeys.userIdPacket(ALICE.userId()), enc(SyntheticKeys
            .selfCertification(ALICE, ALICE.userId(), T0.plusSeconds(50),
                PGPSignature.POSITIVE_CERTIFICATION))),
        concat(key, enc(SyntheticKeys.revocation(ALICE, T0.plusSeconds(99))),
            SyntheticKeys.userIdPacket(UID2), enc(SyntheticKeys.selfCertification(ALICE, UID2,
                T0.plusSeconds(5), PGPSignature.POSITIVE_CERTIFICATION))));
  }

  private CanonicalKey mergeAll(List<byte[]> parts) {
    CanonicalKey acc = null;
    for (byte[] p : parts) {
      for (PgpKeyReader.Item item : reader.read(p)) {
        acc = merger.merge(acc, merger.verify((KeyBlock) item).firstParty());
      }
    }
    return acc;
  }

  @RepeatedTest(20)
  void merge_anyOrderAnySplit_givesIdenticalBytes(org.junit.jupiter.api.RepetitionInfo info) {
    byte[] expected = mergeAll(pieces()).encode();
    Random rnd = new Random(info.getCurrentRepetition());
    List<byte[]> shuffled = new ArrayList<>(pieces());
    // Duplicates, old-format headers and one whole concatenated upload must change nothing.
    shuffled.add(oldFormat(pieces().get(rnd.nextInt(4))));
    shuffled.add(concat(pieces().toArray(new byte[0][])));
    Collections.shuffle(shuffled, rnd);
    assertThat(mergeAll(shuffled).encode()).isEqualTo(expected);
  }

  @Test
  void merge_collectsEverything() {
    CanonicalKey k = mergeAll(pieces());
    assertThat(k.userIdPackets()).hasSize(2);
    assertThat(k.selfSignatures(Packet.decode(SyntheticKeys.userIdPacket(ALICE.userId()))))
        .hasSize(2);
    assertThat(k.subkeyMap()).hasSize(1);
    assertThat(k.isRevoked()).isTrue();
    KeyIndex ix = KeyIndexer.index(k);
    assertThat(ix.revoked()).isTrue();
    assertThat(ix.algorithm()).isEqualTo(22);
    assertThat(ix.userIds()).extracting(KeyIndex.IndexedUserId::email)
        .containsExactlyInAnyOrder("alice@example.org", "alice@work.example");
    // Re-reading what we encode gives the same bytes (stored form is a fixed point).
    assertThat(CanonicalKey.decodeStored(k.encode()).encode()).isEqualTo(k.encode());
  }

  @Test
  void verify_forgedUserIdWithCopiedSignature_isDropped() {
    byte[] key = Fixtures.keyPacket(ALICE);
    byte[] realSig = enc(SyntheticKeys.selfCertification(ALICE, ALICE.userId(), T0,
        PGPSignature.POSITIVE_CERTIFICATION));
    byte[] forged = concat(key, SyntheticKeys.userIdPacket(ALICE.userId()), realSig,
        SyntheticKeys.userIdPacket("Forged <forged@example.org>"), realSig);
    KeyringMerger.Verified v = merger.verify((KeyBlock) reader.read(forged).get(0));
    assertThat(v.firstParty().userIdPackets()).extracting(KeyIndexer::userIdText)
        .containsExactly(ALICE.userId());
    assertThat(v.invalid()).isEqualTo(1);
  }

  @Test
  void verify_signatureFromOtherKeyClaimingToBeSelf_isDropped() {
    Identity mallory = SyntheticKeys.identity("mallory", ALICE.userId(), T0);
    // Mallory's certification over Alice's key and user ID, but listed as Alice's self-signature
    // by key ID only is still checked against Alice's key and fails.
    byte[] sig = enc(SyntheticKeys.certify(mallory, ALICE, ALICE.userId(), T0));
    byte[] data = concat(Fixtures.keyPacket(ALICE), SyntheticKeys.userIdPacket(ALICE.userId()),
        sig);
    KeyringMerger.Verified v = merger.verify((KeyBlock) reader.read(data).get(0));
    assertThat(v.firstParty().userIdPackets()).isEmpty();
    assertThat(v.thirdParty()).hasSize(1);
    assertThat(KeyringMerger.hasCertifiedUserId(v.firstParty())).isFalse();
  }

  @Test
  void withKeyRevocation_appliesOnlyValidRevocation() {
    CanonicalKey k = mergeAll(List.of(SyntheticKeys.publicKey(ALICE)));
    Sig good = Sig.parse(Packet.decode(enc(SyntheticKeys.revocation(ALICE, T0.plusSeconds(9)))));
    Sig foreign = Sig.parse(Packet.decode(enc(SyntheticKeys.revocation(Fixtures.bob(),
        T0.plusSeconds(9)))));
    assertThat(merger.withKeyRevocation(k, foreign)).isNull();
    assertThat(merger.withKeyRevocation(k, good).isRevoked()).isTrue();
  }

  /** Re-encodes every packet with an old-format header (RFC 9580 §4.2.2, 4-byte length). */
  static byte[] oldFormat(byte[] data) {
    PacketFraming f = new PacketFraming(new ByteArrayInputStream(data), Integer.MAX_VALUE);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Packet p = f.next(); p != null; p = f.next()) {
      int n = p.length();
      out.write(0x80 | (p.tag() << 2) | 2);
      out.write(n >>> 24);
      out.write(n >>> 16);
      out.write(n >>> 8);
      out.write(n);
      out.writeBytes(p.bodyUnsafe());
    }
    return out.toByteArray();
  }
}
