package org.keyhaven.ca.policy;

import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.issuance.IssuanceRequest;
import org.keyhaven.ca.issuance.Profile;
import org.keyhaven.ca.issuance.SubjectKey;

/** Validators about the subject key. */
public final class KeyValidators {
  private KeyValidators() {}

  /** SBR §6.1.5: RSA 2048–4096 bits, divisible by 8; the profile must be able to use the key. */
  public static CertificateValidator baseline() {
    return (req, issuer) -> {
      SubjectKey k = req.key();
      if (k.isRsa() && (k.bits() < 2048 || k.bits() > 4096 || k.bits() % 8 != 0)) {
        throw Rules.refuse(Rules.KEY_SIZE,
            "RSA keys must be 2048 to 4096 bits and a multiple of 8, the CSR has %d", k.bits());
      }
      req.profile().keyUsage(k); // throws rule profile-key-type
    };
  }

  /** High assurance: at least EC P-384 or RSA-3072 (Ed25519 and P-256 are ~128-bit security). */
  public static CertificateValidator highAssuranceStrength() {
    return (req, issuer) -> {
      SubjectKey k = req.key();
      boolean ok = k.type() == SubjectKey.Type.EC_P384 || (k.isRsa() && k.bits() >= 3072);
      if (!ok) {
        throw Rules.refuse(Rules.KEY_STRENGTH,
            "CA %s needs EC P-384 or RSA-3072 or stronger, the CSR has %s", issuer.id(),
            k.describe());
      }
    };
  }

  /** High assurance: signing and encryption keys are separate certificates. */
  public static CertificateValidator separateKeys() {
    return (IssuanceRequest req, CaNode issuer) -> {
      if (req.profile() == Profile.SMIME_DUAL) {
        throw Rules.refuse(Rules.SEPARATE_KEYS,
            "CA %s certifies signing and encryption keys separately; smime-dual is not allowed",
            issuer.id());
      }
    };
  }
}
