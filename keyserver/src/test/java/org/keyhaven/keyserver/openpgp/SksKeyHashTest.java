package org.keyhaven.keyserver.openpgp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.keyhaven.common.PkiException;

/**
 * {@link SksKeyHash} against hashes computed by Debian's sks (1.1.6+git20210302.c3ba6d5a-4+b2).
 * Where the data came from (2026-11-25): the four keys in src/test/resources/sks-hash were loaded
 * with {@code sks build} into a private sks on loopback, and each hash below is what that sks
 * printed for the key in {@code /pks/lookup?op=index&hash=on&search=0x<fingerprint>}
 * ("Hash=…", the value its {@code op=hget} answers to):
 * <ul>
 *   <li>bench0.pgp — key 0 of bench/keyserver/GenKeys.java (Ed25519 + X25519, bcpg, new-format
 *       headers), F86FE7DDBBFF07506C1DBEB4FD5A6F9DEB9881F3;
 *   <li>gpg-ed25519.pgp — made by gpg 2.2.40 (ed25519 + cv25519),
 *       B78DB218DF76077B3CD886CE58ADC6DBE74FAA43;
 *   <li>gpg-rsa-certified.pgp — made by gpg (RSA-2048, old-format headers) and certified by the
 *       ed25519 key above (a third-party signature), B073550B5C235F6538208298C614F84348B041DC;
 *   <li>sq-cv25519.pgp — made by sq 0.27 ({@code sq key generate}: three subkeys, salt
 *       notations), B804C24A8F81453C849DE787D7D0D976035D5DCF.
 * </ul>
 */
class SksKeyHashTest {

  static byte[] resource(String name) throws IOException {
    try (InputStream in = SksKeyHashTest.class.getResourceAsStream("/sks-hash/" + name)) {
      assertThat(in).as(name).isNotNull();
      return in.readAllBytes();
    }
  }

  @ParameterizedTest
  @CsvSource({
      "bench0.pgp, E2FDDBDD227E7205DD47D5154A08C533",
      "gpg-ed25519.pgp, E1AE6C5E0431176546D6F67035882156",
      "gpg-rsa-certified.pgp, 6A033353C35BBE6B0D6FF1B597DD61AA",
      "sq-cv25519.pgp, EF9593BDD7881EBAE46B5947FBB460CA"})
  void hash_equalsWhatSksPrinted(String file, String sksHash) throws IOException {
    assertThat(SksKeyHash.of(resource(file))).isEqualTo(sksHash);
  }

  private static List<Packet> packets(byte[] key) {
    PacketFraming f = new PacketFraming(new java.io.ByteArrayInputStream(key), key.length);
    List<Packet> out = new ArrayList<>();
    for (Packet p = f.next(); p != null; p = f.next()) {
      out.add(p);
    }
    return out;
  }

  @Test
  void hash_ignoresPacketOrderAndHeaderFormat() throws IOException {
    byte[] rsa = resource("gpg-rsa-certified.pgp"); // old-format headers from gpg
    List<Packet> ps = packets(rsa);
    Collections.reverse(ps);
    ByteArrayOutputStream reordered = new ByteArrayOutputStream();
    ps.forEach(p -> p.writeTo(reordered)); // new-format headers, reversed order
    assertThat(reordered.toByteArray()).isNotEqualTo(rsa);
    assertThat(SksKeyHash.of(reordered.toByteArray()))
        .isEqualTo("6A033353C35BBE6B0D6FF1B597DD61AA");
  }

  @Test
  void hash_changesWhenAPacketIsMissingOrAltered() throws IOException {
    List<Packet> ps = packets(resource("gpg-rsa-certified.pgp"));
    ByteArrayOutputStream withoutCertification = new ByteArrayOutputStream();
    ps.subList(0, ps.size() - 1).forEach(p -> p.writeTo(withoutCertification));
    assertThat(SksKeyHash.of(withoutCertification.toByteArray()))
        .isNotEqualTo("6A033353C35BBE6B0D6FF1B597DD61AA").hasSize(32);
    byte[] altered = resource("bench0.pgp");
    altered[altered.length - 1] ^= 1;
    assertThat(SksKeyHash.of(altered)).isNotEqualTo("E2FDDBDD227E7205DD47D5154A08C533");
  }

  @Test
  void hash_ofGarbage_isMalformed() {
    assertThatThrownBy(() -> SksKeyHash.of(new byte[] {0x01, 0x02}))
        .isInstanceOf(PkiException.class);
    assertThat(SksKeyHash.isHash("e1ae6c5e0431176546d6f67035882156")).isTrue();
    assertThat(SksKeyHash.isHash("E1AE6C5E0431176546D6F6703588215")).isFalse();
    assertThat(SksKeyHash.isHash("E1AE6C5E0431176546D6F6703588215G")).isFalse();
  }
}
