package org.keyhaven.keyserver.wot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.keyhaven.keyserver.wot.NetworkDsl.NOW;
import static org.keyhaven.keyserver.wot.NetworkDsl.T1;
import static org.keyhaven.keyserver.wot.NetworkDsl.fpr;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.keyhaven.common.AuditLog;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

/** The façade: caller roots, server root, caching, limits, audit. */
class WotServiceTest {

  /** In-memory trust root (the fake of the port). */
  static final class MemoryRoots implements TrustRootStore {
    Map<String, OwnerTrust> map = new HashMap<>();
    String lastActor;

    @Override
    public Map<String, OwnerTrust> load() {
      return Map.copyOf(map);
    }

    @Override
    public void replace(Map<String, OwnerTrust> assignments, String actor) {
      map = new HashMap<>(assignments);
      lastActor = actor;
    }
  }

  private final List<String> audit = new ArrayList<>();
  private final AuditLog auditLog =
      (actor, action, target, outcome, detail) -> audit.add(actor + " " + action + " " + outcome);
  private final MemoryRoots roots = new MemoryRoots();
  private final AtomicReference<Instant> now = new AtomicReference<>(NOW);
  private final Clock clock = new Clock() {
    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now.get();
    }
  };

  private WotService service(NetworkDsl n) {
    Network net = n.builder.build();
    return new WotService(() -> net, roots, auditLog, clock);
  }

  private static NetworkDsl chain() {
    NetworkDsl n = new NetworkDsl().key("U").key("A").key("B").key("C");
    n.cert("U", "A").cert("A", "B").cert("B", "C");
    n.add(Certification.of(fpr("U"), fpr("C"), "C", T1).withExpiry(NOW.plus(Duration.ofDays(1))));
    return n;
  }

  @Test
  void evaluate_usesCallersRootAndDefaults() {
    WotService s = service(chain());
    WotEvaluation e = s.evaluate(new WotQuery(Map.of(fpr("U"), OwnerTrust.ULTIMATE,
        fpr("A").toLowerCase(), OwnerTrust.FULL), null, null, null, null, null,
        List.of(fpr("B"), fpr("C"), fpr("nobody"))));
    assertThat(e.parameters()).isEqualTo(WotParameters.defaults(NOW));
    assertThat(e.keys().get(fpr("B")).validity()).isEqualTo(Validity.FULL);
    assertThat(e.keys().get(fpr("C")).validity()).isEqualTo(Validity.FULL);
    assertThat(e.unknownKeys()).containsExactly(fpr("nobody"));
    // two days later U's certification of C has expired; B is valid but its owner not trusted
    WotEvaluation later = s.evaluate(new WotQuery(Map.of(fpr("U"), OwnerTrust.ULTIMATE,
        fpr("A"), OwnerTrust.FULL), null, null, null, null, NOW.plus(Duration.ofDays(2)), null));
    assertThat(later.keys().get(fpr("C")).validity()).isEqualTo(Validity.UNDEFINED);
    assertThat(later.keys()).hasSize(4);
  }

  @Test
  void serverRoot_setAuditedAndUsedForKeyReports() {
    WotService s = service(chain());
    assertThat(s.validity(fpr("A"))).isEqualTo(Validity.UNKNOWN);
    s.setRoots(Map.of(fpr("U"), OwnerTrust.ULTIMATE, fpr("A"), OwnerTrust.FULL), "admin");
    assertThat(audit).containsExactly("admin wot.roots.set success");
    assertThat(roots.lastActor).isEqualTo("admin");
    assertThat(s.roots()).containsEntry(fpr("U"), OwnerTrust.ULTIMATE);
    assertThat(s.validity(fpr("B"))).isEqualTo(Validity.FULL);
    KeyReport r = s.key(fpr("C"));
    assertThat(r.validity().validity()).isEqualTo(Validity.FULL);
    assertThat(r.certifiedBy()).extracting(Hop::signer)
        .containsExactlyInAnyOrder(fpr("B"), fpr("U"));
    assertThat(r.explanation().paths()).isNotEmpty();
    assertThat(s.key(fpr("A")).certifies()).extracting(Hop::target).containsExactly(fpr("B"));
    // the clock passes the expiry of U's certification: the cache notices
    now.set(NOW.plus(Duration.ofDays(2)));
    assertThat(s.key(fpr("C")).certifiedBy()).extracting(Hop::signer).containsExactly(fpr("B"));
    assertThat(s.validity(fpr("C"))).isEqualTo(Validity.UNDEFINED);
  }

  @Test
  void paths_andStats() {
    WotService s = service(chain());
    assertThat(s.paths(fpr("U"), fpr("C"), 5, 10)).singleElement()
        .satisfies(p -> assertThat(p.length()).isEqualTo(1));
    assertThat(s.paths(fpr("A"), fpr("C"), 5, 10)).singleElement()
        .satisfies(p -> assertThat(p.length()).isEqualTo(2));
    NetworkStats st = s.stats(3);
    assertThat(st.keys()).isEqualTo(4);
    assertThat(st.effectiveCertifications()).isEqualTo(4);
    assertThat(st.strongSetSize()).isEqualTo(1);
  }

  @Test
  void badRequests_failWithKinds() {
    WotService s = service(chain());
    assertKind(() -> s.key(fpr("nobody")), ErrorKind.NOT_FOUND);
    assertKind(() -> s.key("xyz"), ErrorKind.MALFORMED);
    assertKind(() -> s.paths(fpr("U"), fpr("C"), 0, 1), ErrorKind.MALFORMED);
    assertKind(() -> s.paths(fpr("U"), fpr("C"), 5, 51), ErrorKind.MALFORMED);
    assertKind(() -> s.paths(fpr("U"), fpr("nobody"), 5, 5), ErrorKind.NOT_FOUND);
    assertKind(() -> s.evaluate(new WotQuery(Map.of(), 0, null, null, null, null, null)),
        ErrorKind.MALFORMED);
    Map<String, OwnerTrust> huge = new HashMap<>();
    for (int i = 0; i <= WotService.MAX_OWNER_TRUST; i++) {
      huge.put(fpr("k" + i), OwnerTrust.FULL);
    }
    assertKind(() -> s.evaluate(WotQuery.of(huge)), ErrorKind.TOO_LARGE);
    assertKind(() -> s.setRoots(Map.of("bad", OwnerTrust.FULL), "admin"), ErrorKind.MALFORMED);
  }

  @Test
  void liveNetwork_replacesKeysAndRebuildsAfterInterval() {
    LiveNetwork live = new LiveNetwork(clock, Duration.ofSeconds(10));
    live.put(Node.of(fpr("U"), NetworkDsl.T0, "U"), List.of());
    live.put(Node.of(fpr("A"), NetworkDsl.T0, "A"),
        List.of(Certification.of(fpr("U"), fpr("A"), "A", T1)));
    assertThat(live.get().certificationCount()).isEqualTo(1);
    // a replacement within the interval is visible only after it (or on flush)
    live.put(Node.of(fpr("A"), NetworkDsl.T0, "A"), List.of());
    assertThat(live.get().certificationCount()).isEqualTo(1);
    now.set(NOW.plusSeconds(11));
    assertThat(live.get().certificationCount()).isZero();
    live.remove(fpr("A"));
    assertThat(live.flush().keyCount()).isEqualTo(1);
    assertThat(live.version()).isEqualTo(3);
  }

  private static void assertKind(Runnable r, ErrorKind kind) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(PkiException.class,
        e -> assertThat(e.kind()).isEqualTo(kind));
  }
}
