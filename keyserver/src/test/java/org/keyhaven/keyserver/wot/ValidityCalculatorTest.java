package org.keyhaven.keyserver.wot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.keyhaven.keyserver.wot.NetworkDsl.NOW;
import static org.keyhaven.keyserver.wot.NetworkDsl.T0;
import static org.keyhaven.keyserver.wot.NetworkDsl.T1;
import static org.keyhaven.keyserver.wot.NetworkDsl.certAt;
import static org.keyhaven.keyserver.wot.NetworkDsl.fpr;
import static org.keyhaven.keyserver.wot.NetworkDsl.letters;
import static org.keyhaven.keyserver.wot.NetworkDsl.revAt;
import static org.keyhaven.keyserver.wot.NetworkDsl.uid;
import static org.keyhaven.keyserver.wot.NetworkDsl.validity;
import static org.keyhaven.keyserver.wot.OwnerTrust.FULL;
import static org.keyhaven.keyserver.wot.OwnerTrust.MARGINAL;
import static org.keyhaven.keyserver.wot.OwnerTrust.NEVER;
import static org.keyhaven.keyserver.wot.OwnerTrust.ULTIMATE;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of docs/WOT.md one by one, on small hand-made networks (timeline: T0 < T1 < NOW). */
class ValidityCalculatorTest {

  @Test
  void evaluate_chainOfFullyTrustedKeys_stopsAtMaxDepth() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE);
    for (int i = 1; i <= 6; i++) {
      n.key("c" + i, FULL);
    }
    n.cert("U", "c1");
    for (int i = 1; i < 6; i++) {
      n.cert("c" + i, "c" + (i + 1));
    }
    WotResult r = n.evaluate();
    assertThat(letters(r, List.of("U", "c1", "c2", "c3", "c4", "c5", "c6")))
        .isEqualTo("U=u c1=f c2=f c3=f c4=f c5=f c6=-");
    assertThat(r.depthStats()).extracting(DepthStats::valid).containsExactly(1, 1, 1, 1, 1);
    // with max depth 6 the sixth link is reached too
    assertThat(validity(n.evaluate(new WotParameters(1, 3, 6, 2, NOW)), "c6"))
        .isEqualTo(Validity.FULL);
  }

  @Test
  void evaluate_threeMarginalsMakeFull_twoMakeMarginal() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE);
    for (String m : List.of("m1", "m2", "m3")) {
      n.key(m, MARGINAL).cert("U", m);
    }
    n.key("two").cert("m1", "two").cert("m2", "two");
    n.key("three").cert("m1", "three").cert("m2", "three").cert("m3", "three");
    WotResult r = n.evaluate();
    assertThat(letters(r, List.of("two", "three"))).isEqualTo("two=m three=f");
    // marginals-needed 2 is enough for "two"
    assertThat(validity(n.evaluate(new WotParameters(1, 2, 5, 2, NOW)), "two"))
        .isEqualTo(Validity.FULL);
  }

  @Test
  void evaluate_completesNeededTwo_requiresTwoFullIntroducers() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("f1", FULL).key("f2", FULL);
    n.cert("U", "f1").cert("U", "f2").key("one").cert("f1", "one");
    n.key("both").cert("f1", "both").cert("f2", "both");
    WotResult r = n.evaluate(new WotParameters(2, 3, 5, 2, NOW));
    // an ultimate signer alone counts as "completes needed" full certifications
    assertThat(letters(r, List.of("f1", "one", "both"))).isEqualTo("f1=f one=m both=f");
  }

  @Test
  void evaluate_onlyFullyValidKeysIntroduce_ownerTrustOfMarginalKeyIgnored() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("m1", MARGINAL).key("m2", MARGINAL);
    n.cert("U", "m1").cert("U", "m2").key("half", FULL).cert("m1", "half").cert("m2", "half");
    n.key("t").cert("half", "t");
    assertThat(letters(n.evaluate(), List.of("half", "t"))).isEqualTo("half=m t=-");
  }

  @Test
  void evaluate_fullyValidKeyWithoutTrust_givesUndefinedButIntroducesNobody() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("nv", NEVER).key("un", null);
    n.cert("U", "nv").cert("U", "un").key("tq").cert("nv", "tq").key("tu").cert("un", "tu");
    n.key("tqq").cert("tq", "tqq");
    assertThat(letters(n.evaluate(), List.of("nv", "un", "tq", "tu", "tqq")))
        .isEqualTo("nv=f un=f tq=q tu=q tqq=-");
  }

  @Test
  void evaluate_countsAccumulateAcrossDepths() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("c1", FULL).cert("U", "c1");
    n.key("m1", MARGINAL).key("m2", MARGINAL).cert("U", "m1").cert("U", "m2");
    n.key("m4", MARGINAL).cert("c1", "m4"); // full at depth 1, introduces at depth 2
    n.key("acc").cert("m1", "acc").cert("m2", "acc").cert("m4", "acc");
    WotResult r = n.evaluate();
    assertThat(validity(r, "acc")).isEqualTo(Validity.FULL);
    Explanation e = r.explain(fpr("acc")).orElseThrow();
    assertThat(e.userIds().get(0).marginalCount()).isEqualTo(3);
    assertThat(e.userIds().get(0).contributions())
        .extracting(Explanation.Contribution::depth)
        .containsExactlyInAnyOrder(1, 1, 2);
  }

  @Test
  void evaluate_revokedOrExpiredRoot_certifiesNothingButIsStillListed() {
    NetworkDsl n = new NetworkDsl();
    n.node(new Node(fpr("rU"), T0, null, T1, true, List.of(UserIdState.of("rU"))), ULTIMATE);
    n.node(new Node(fpr("eU"), T0, T1, null, true, List.of(UserIdState.of("eU"))), ULTIMATE);
    n.key("a").cert("rU", "a").key("b").cert("eU", "b");
    WotResult r = n.evaluate();
    assertThat(letters(r, List.of("rU", "eU", "a", "b"))).isEqualTo("rU=r eU=e a=- b=-");
    assertThat(r.depthStats().get(0)).isEqualTo(new DepthStats(0, 2, 0));
  }

  @Test
  void evaluate_certificationsOfLaterRevokedSigner_countForNothing() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE);
    n.node(new Node(fpr("rk"), T0, null, NOW.minusSeconds(60), true,
        List.of(UserIdState.of("rk"))), FULL);
    n.cert("U", "rk").key("t").cert("rk", "t");
    WotResult r = n.evaluate();
    assertThat(letters(r, List.of("rk", "t"))).isEqualTo("rk=r t=-");
    // evaluated before the revocation, the same certification counts
    assertThat(validity(n.evaluate(WotParameters.defaults(NOW.minusSeconds(120))), "t"))
        .isEqualTo(Validity.FULL);
  }

  @Test
  void evaluate_newestSignatureWins_revocationAfterCertification() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("t");
    n.add(certAt("U", "t", T1)).add(revAt("U", "t", T1.plusSeconds(10)));
    assertThat(validity(n.evaluate(), "t")).isEqualTo(Validity.UNKNOWN);
    // a certification made after the revocation counts again
    n.add(certAt("U", "t", T1.plusSeconds(20)));
    assertThat(validity(n.evaluate(), "t")).isEqualTo(Validity.FULL);
  }

  @Test
  void evaluate_newestCertificationExpired_noFallbackToOlder() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("t");
    n.add(certAt("U", "t", T1));
    n.add(certAt("U", "t", T1.plusSeconds(10)).withExpiry(T1.plusSeconds(11)));
    assertThat(validity(n.evaluate(), "t")).isEqualTo(Validity.UNKNOWN);
    // before the newer one expired it counted
    assertThat(validity(n.evaluate(WotParameters.defaults(T1.plusSeconds(10))), "t"))
        .isEqualTo(Validity.FULL);
  }

  @Test
  void evaluate_sameTimestamp_laterArrivalWins() {
    NetworkDsl a = new NetworkDsl().key("U", ULTIMATE).key("t");
    a.add(certAt("U", "t", T1)).add(revAt("U", "t", T1));
    NetworkDsl b = new NetworkDsl().key("U", ULTIMATE).key("t");
    b.add(revAt("U", "t", T1)).add(certAt("U", "t", T1));
    assertThat(validity(a.evaluate(), "t")).isEqualTo(Validity.UNKNOWN);
    assertThat(validity(b.evaluate(), "t")).isEqualTo(Validity.FULL);
  }

  @Test
  void evaluate_nonRevocableCertification_survivesRevocation() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("t");
    n.add(certAt("U", "t", T1).withRevocable(false)).add(revAt("U", "t", T1.plusSeconds(5)));
    assertThat(validity(n.evaluate(), "t")).isEqualTo(Validity.FULL);
  }

  @Test
  void evaluate_certificationLevels_belowMinimumIgnored() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE);
    for (int level = 0; level <= 3; level++) {
      n.key("p" + level).add(certAt("U", "p" + level, T1).withLevel(level));
    }
    List<String> keys = List.of("p0", "p1", "p2", "p3");
    assertThat(letters(n.evaluate(), keys)).isEqualTo("p0=f p1=- p2=f p3=f");
    assertThat(letters(n.evaluate(new WotParameters(1, 3, 5, 3, NOW)), keys))
        .isEqualTo("p0=f p1=- p2=- p3=f");
    assertThat(letters(n.evaluate(new WotParameters(1, 3, 5, 1, NOW)), keys))
        .isEqualTo("p0=f p1=f p2=f p3=f");
  }

  @Test
  void evaluate_newerLowLevelCertification_hidesOlderHighLevelOne() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("t");
    n.add(certAt("U", "t", T1).withLevel(3)).add(certAt("U", "t", T1.plusSeconds(5)).withLevel(1));
    assertThat(validity(n.evaluate(), "t")).isEqualTo(Validity.UNKNOWN);
  }

  @Test
  void evaluate_certificationOlderThanTargetKey_isATimeConflict() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE);
    n.node(Node.of(fpr("late"), T1, "late"), null);
    n.add(certAt("U", "late", T0.plusSeconds(1)));
    assertThat(validity(n.evaluate(), "late")).isEqualTo(Validity.UNKNOWN);
  }

  @Test
  void evaluate_certificationMadeAfterEvaluationTime_doesNotExistYet() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("t").cert("U", "t");
    assertThat(validity(n.evaluate(WotParameters.defaults(T1.minusSeconds(1))), "t"))
        .isEqualTo(Validity.UNKNOWN);
    assertThat(validity(n.evaluate(WotParameters.defaults(T1)), "t")).isEqualTo(Validity.FULL);
  }

  @Test
  void evaluate_keyValidityIsBestUserId_uncertifiedAndRevokedUserIdsListedApart() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE);
    n.node(new Node(fpr("mu"), T0, null, null, true, List.of(UserIdState.of("a"),
        UserIdState.of("b"), new UserIdState("c", T1, null), new UserIdState("d", null, T1))),
        null);
    n.cert("U", "mu", "b", "c", "d");
    WotResult r = n.evaluate();
    assertThat(validity(r, "mu")).isEqualTo(Validity.FULL);
    assertThat(uid(r, "mu", "a")).isEqualTo(Validity.UNKNOWN);
    assertThat(uid(r, "mu", "b")).isEqualTo(Validity.FULL);
    assertThat(uid(r, "mu", "c")).isEqualTo(Validity.REVOKED);
    assertThat(uid(r, "mu", "d")).isEqualTo(Validity.EXPIRED);
  }

  @Test
  void evaluate_marginalUserIdAndFullUserId_keyIsFull() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE);
    for (String m : List.of("m1", "m2", "m3", "m4")) {
      n.key(m, MARGINAL).cert("U", m);
    }
    n.key("mu3", null, "x", "y").cert("m1", "mu3", "x").cert("m2", "mu3", "x");
    n.cert("m3", "mu3", "x").cert("m4", "mu3", "y");
    WotResult r = n.evaluate();
    assertThat(validity(r, "mu3")).isEqualTo(Validity.FULL);
    assertThat(uid(r, "mu3", "y")).isEqualTo(Validity.MARGINAL);
  }

  @Test
  void evaluate_ultimateKey_listsEveryLiveUserIdUltimate() {
    NetworkDsl n = new NetworkDsl();
    n.node(new Node(fpr("U"), T0, null, null, true,
        List.of(UserIdState.of("a"), new UserIdState("b", T1, null))), ULTIMATE);
    WotResult r = n.evaluate();
    assertThat(uid(r, "U", "a")).isEqualTo(Validity.ULTIMATE);
    assertThat(uid(r, "U", "b")).isEqualTo(Validity.REVOKED);
  }

  @Test
  void evaluate_signerThatCannotCertify_isIgnored() {
    NetworkDsl n = new NetworkDsl();
    n.node(new Node(fpr("U"), T0, null, null, false, List.of(UserIdState.of("U"))), ULTIMATE);
    n.key("t").cert("U", "t");
    assertThat(validity(n.evaluate(), "t")).isEqualTo(Validity.UNKNOWN);
  }

  @Test
  void evaluate_ownerTrustOfUnknownKeyIgnored_fingerprintCaseNormalised() {
    NetworkDsl n = new NetworkDsl().key("t");
    n.builder.addNode(Node.of(fpr("U").toLowerCase(), T0, "U"));
    n.cert("U", "t");
    Map<String, OwnerTrust> trust =
        Map.of(fpr("U").toLowerCase(), ULTIMATE, fpr("absent"), ULTIMATE);
    WotResult r = ValidityCalculator.evaluate(n.builder.build(), trust,
        WotParameters.defaults(NOW));
    assertThat(letters(r, List.of("U", "t"))).isEqualTo("U=u t=f");
  }

  @Test
  void explain_givesChainBackToRoot() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("a", FULL).key("b", FULL).key("c");
    n.cert("U", "a").cert("a", "b").cert("b", "c");
    Explanation e = n.evaluate().explain(fpr("c")).orElseThrow();
    assertThat(e.validity()).isEqualTo(Validity.FULL);
    assertThat(e.paths()).hasSize(1);
    assertThat(e.paths().get(0).hops()).extracting(Hop::signer)
        .containsExactly(fpr("U"), fpr("a"), fpr("b"));
    assertThat(e.paths().get(0).target()).isEqualTo(fpr("c"));
    // full at depth 2, so GnuPG considers its certifications at depth 3 (they add no count)
    assertThat(e.introducerDepth()).isEqualTo(3);
  }

  @Test
  void effectiveGraph_knowsUntilWhenItIsExact() {
    NetworkDsl n = new NetworkDsl().key("U", ULTIMATE).key("t");
    Instant expiry = NOW.plus(Duration.ofDays(1));
    n.add(certAt("U", "t", T1).withExpiry(expiry));
    EffectiveGraph g = EffectiveGraph.of(n.builder.build(), NOW, 2);
    assertThat(g.validUntil()).isEqualTo(expiry);
    assertThat(g.covers(expiry.minusMillis(1))).isTrue();
    assertThat(g.covers(expiry)).isFalse();
    assertThat(g.edgeCount()).isEqualTo(1);
  }
}
