package org.keyhaven.ca.policy;

import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.issuance.IssuanceRequest;

/** One issuance rule; throws a POLICY_VIOLATION naming the rule when the request breaks it. */
@FunctionalInterface
public interface CertificateValidator {
  void validate(IssuanceRequest request, CaNode issuer);
}
