package org.keyhaven.keyserver.wot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.keyhaven.keyserver.wot.NetworkDsl.T0;
import static org.keyhaven.keyserver.wot.NetworkDsl.T1;
import static org.keyhaven.keyserver.wot.NetworkDsl.fpr;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

/** Input validation of the model: bad values become MALFORMED, unknown references are dropped. */
class NetworkBuilderTest {

  static Stream<Arguments> badFingerprints() {
    return Stream.of(
        Arguments.of("short", "ABCDEF"),
        Arguments.of("not hex", "Z".repeat(40)),
        Arguments.of("null", null),
        Arguments.of("41 digits", "A".repeat(41)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFingerprints")
  void addNode_badFingerprint_fails(String name, String fingerprint) {
    assertThatThrownBy(() -> new NetworkBuilder().addNode(Node.of(fingerprint == null ? "x"
        : fingerprint, T0, "u")))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED));
  }

  @Test
  void normalize_acceptsSpacesLowerCaseAndPrefix() {
    String f = fpr("x");
    assertThat(Fingerprints.normalize("0x" + f.toLowerCase())).isEqualTo(f);
    assertThat(Fingerprints.normalize(f.substring(0, 4) + " " + f.substring(4))).isEqualTo(f);
  }

  @Test
  void build_dropsUnknownIssuerTargetUserIdAndSelfSignatures() {
    NetworkBuilder b = new NetworkBuilder();
    b.addNode(Node.of(fpr("a"), T0, "a")).addNode(Node.of(fpr("b"), T0, "b"));
    b.certify(fpr("a"), fpr("b"), "b", T1);
    b.certify(fpr("ghost"), fpr("b"), "b", T1);
    b.certify(fpr("a"), fpr("ghost"), "b", T1);
    b.certify(fpr("a"), fpr("b"), "no such user id", T1);
    b.certify(fpr("b"), fpr("b"), "b", T1);
    Network n = b.build();
    assertThat(n.certificationCount()).isEqualTo(1);
    assertThat(n.droppedCertifications()).isEqualTo(4);
    assertThat(n.certificationsOn(fpr("b"))).singleElement()
        .satisfies(c -> assertThat(c.issuer()).isEqualTo(fpr("a")));
    assertThat(n.estimatedHeapBytes()).isPositive();
  }

  @Test
  void addNode_twice_replacesEarlierNode() {
    NetworkBuilder b = new NetworkBuilder();
    b.addNode(Node.of(fpr("a"), T0, "old")).addNode(Node.of(fpr("a"), T0, "new"));
    Network n = b.build();
    assertThat(n.keyCount()).isEqualTo(1);
    assertThat(n.node(fpr("a")).orElseThrow().userIds()).extracting(UserIdState::userId)
        .containsExactly("new");
  }

  static Stream<Arguments> badParameters() {
    Instant t = T0;
    return Stream.<Runnable>of(
            () -> new WotParameters(0, 3, 5, 2, t),
            () -> new WotParameters(1, 1, 5, 2, t),
            () -> new WotParameters(1, 3, 0, 2, t),
            () -> new WotParameters(1, 3, 256, 2, t),
            () -> new WotParameters(1, 3, 5, 0, t),
            () -> new WotParameters(1, 3, 5, 4, t),
            () -> OwnerTrust.parse("sometimes"),
            () -> OwnerTrust.ofCode(9),
            () -> Validity.ofLetter('z'),
            () -> Certification.of(fpr("a"), fpr("b"), "b", t).withLevel(4),
            () -> new TrustSignature(1, 300, null))
        .map(Arguments::of);
  }

  @ParameterizedTest
  @MethodSource("badParameters")
  void parameters_outOfRange_fail(Runnable make) {
    assertThatThrownBy(make::run)
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED));
  }

  @Test
  void ownerTrust_wordsAndCodesRoundTrip() {
    for (OwnerTrust t : OwnerTrust.values()) {
      assertThat(OwnerTrust.parse(t.word().toUpperCase())).isEqualTo(t);
      assertThat(OwnerTrust.ofCode(t.code())).isEqualTo(t);
    }
    for (Validity v : Validity.values()) {
      assertThat(Validity.ofLetter(v.letter())).isEqualTo(v);
    }
  }
}
