package org.keyhaven.ca.policy;

import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.CaStatus;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.keys.KeyAlgorithm;
import org.keyhaven.common.PkiException;

/** Rules for adding a CA under a parent. */
public final class HierarchyPolicy {
  private HierarchyPolicy() {}

  /**
   * A CA may be created under {@code parent} only if the parent may certify CAs, the child keeps
   * the parent's policy (the root may start any policy), and a high-assurance child has a key of at
   * least P-384/RSA-3072.
   */
  public static void checkChild(CaNode parent, PolicyKind kind, KeyAlgorithm key) {
    if (parent.status() != CaStatus.ACTIVE) {
      throw PkiException.conflict("CA %s is %s and cannot certify", parent.id(),
          parent.status().wireName());
    }
    if (!parent.mayCertifyCas()) {
      throw Rules.refuse("path-length", "CA %s has pathLenConstraint 0 and cannot certify CAs",
          parent.id());
    }
    if (kind == PolicyKind.NONE) {
      throw PkiException.malformed("a subordinate CA needs a policy");
    }
    if (parent.policy() == PolicyKind.HIGH_ASSURANCE && kind != PolicyKind.HIGH_ASSURANCE) {
      throw Rules.refuse(Rules.CA_SUBORDINATION,
          "high-assurance CA %s certifies only high-assurance CAs, not %s", parent.id(),
          kind.wireName());
    }
    if (parent.policy() != PolicyKind.NONE && parent.policy() != kind) {
      throw Rules.refuse("policy-inheritance", "CA %s has policy %s; a child cannot be %s",
          parent.id(), parent.policy().wireName(), kind.wireName());
    }
    if (kind == PolicyKind.HIGH_ASSURANCE) {
      checkHighAssuranceKey(key);
    }
  }

  /** High-assurance CA keys are EC P-384 or RSA-3072 and stronger. */
  public static void checkHighAssuranceKey(KeyAlgorithm key) {
    if (!(key == KeyAlgorithm.EC_P384 || key == KeyAlgorithm.RSA_3072
        || key == KeyAlgorithm.RSA_4096)) {
      throw Rules.refuse(Rules.KEY_STRENGTH,
          "high-assurance CAs need EC P-384 or RSA-3072 or stronger, not %s", key.wireName());
    }
  }
}
