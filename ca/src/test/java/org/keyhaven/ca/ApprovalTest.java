package org.keyhaven.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

/** The two-person rule of the high-assurance policy. */
class ApprovalTest {
  @TempDir static Path dir;
  static CaFixture f;

  @BeforeAll
  static void setUp() {
    f = new CaFixture(dir);
    f.ca.bootstrap();
  }

  static int counter;

  static Approval request(String by) {
    return request(by, "hq" + (++counter) + "@example.org");
  }

  static Approval request(String by, String email) {
    String csr = Csrs.csr(Csrs.ec("secp384r1")).email(email).pem();
    IssuanceOutcome out = f.ca.issue(by, CaId.of("ca-high"), csr, "smime-sign", null);
    assertThat(out).isInstanceOf(IssuanceOutcome.Pending.class);
    return ((IssuanceOutcome.Pending) out).approval();
  }

  @Test
  void highAssuranceIssuance_waitsForApproval() {
    Approval a = request("admin-a", "waiting@example.org");
    assertThat(a.status()).isEqualTo(Approval.Status.PENDING);
    assertThat(f.ca.approvals(Approval.Status.PENDING, 100)).extracting(Approval::id)
        .contains(a.id());
    assertThat(f.ca.certificates(new org.keyhaven.ca.store.CertificateQuery(
        "waiting@example.org", null, null, null, 0, 10)).items()).isEmpty();
  }

  @Test
  void approve_bySameToken_isRefused() {
    Approval a = request("admin-a");
    assertThatThrownBy(() -> f.ca.approve("admin-a", a.id()))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.POLICY_VIOLATION);
          assertThat(e.detail()).startsWith("rule high-assurance/two-person: approval "
              + a.id() + " must be approved by a different token");
        });
    assertThat(f.ca.approval(a.id()).status()).isEqualTo(Approval.Status.PENDING);
  }

  @Test
  void approve_bySecondToken_issuesOnce() {
    Approval a = request("admin-a");
    IssuanceOutcome.Issued issued = f.ca.approve("admin-b", a.id());
    assertThat(issued.certificate().caId()).isEqualTo(CaId.of("ca-high"));
    assertThat(issued.certificate().requestedBy()).isEqualTo("admin-a");
    Approval done = f.ca.approval(a.id());
    assertThat(done.status()).isEqualTo(Approval.Status.APPROVED);
    assertThat(done.decidedBy()).isEqualTo("admin-b");
    assertThat(done.serial()).isEqualTo(issued.certificate().serial());
    assertThatThrownBy(() -> f.ca.approve("admin-c", a.id()))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
    assertThat(f.audit.entries).contains("admin-b approval.approve approval/" + a.id()
        + " success");
  }

  @Test
  void reject_closesTheApproval() {
    Approval a = request("admin-a");
    Approval r = f.ca.reject("admin-b", a.id(), "not verified");
    assertThat(r.status()).isEqualTo(Approval.Status.REJECTED);
    assertThat(r.reason()).isEqualTo("not verified");
    assertThatThrownBy(() -> f.ca.approve("admin-b", a.id()))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
  }

  @Test
  void approve_unknownId_isNotFound() {
    assertThatThrownBy(() -> f.ca.approve("admin-b", 999_999))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
  }
}
