package org.keyhaven.ca.policy;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.issuance.IssuanceRequest;

/** The validators that apply to an issuing CA, chosen by its policy kind. */
public final class IssuancePolicy {
  private final List<CertificateValidator> validators;

  private IssuancePolicy(List<CertificateValidator> validators) {
    this.validators = List.copyOf(validators);
  }

  /**
   * Profile rules for everyone, then the rules of the CA's policy kind (see docs/CA.md, "Policy
   * rules").
   */
  public static IssuancePolicy forKind(
      PolicyKind kind, X500Name organisation, List<String> mailDomains) {
    List<CertificateValidator> v = new ArrayList<>();
    v.add(KeyValidators.baseline());
    v.add(ExtensionValidators.requestedExtensions());
    v.add(NameValidators.profileNames());
    switch (kind) {
      case HIGH_ASSURANCE:
        v.add(KeyValidators.highAssuranceStrength());
        v.add(KeyValidators.separateKeys());
        v.add(NameValidators.subordination(organisation, mailDomains));
        break;
      case STANDARD:
        v.add(NameValidators.subordination(organisation, mailDomains));
        break;
      case PERSONA:
        v.add(NameValidators.pseudonymous());
        break;
      default:
        break;
    }
    return new IssuancePolicy(v);
  }

  /** Runs every validator; the first refusal wins. */
  public void check(IssuanceRequest request, CaNode issuer) {
    for (CertificateValidator v : validators) {
      v.validate(request, issuer);
    }
  }

  /** True if issuance under this kind waits for a second admin (two-person rule). */
  public static boolean needsApproval(PolicyKind kind) {
    return kind == PolicyKind.HIGH_ASSURANCE;
  }
}
