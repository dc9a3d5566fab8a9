package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayInputStream;
import org.bouncycastle.bcpg.BCPGInputStream;
import org.bouncycastle.bcpg.UserAttributePacket;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPUserAttributeSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;

/**
 * Verifies signatures over keys with bcpg (RFC 9580 §5.2.4): certifications of user IDs and
 * attributes, subkey bindings, direct-key signatures and revocations. Never throws: a signature
 * that cannot be checked is simply not valid.
 */
public final class CertificationVerifier {
  private static final BcPGPContentVerifierBuilderProvider PROVIDER =
      new BcPGPContentVerifierBuilderProvider();

  private CertificationVerifier() {}

  /** A certification or certification revocation (0x10–0x13, 0x30) of a user ID or attribute. */
  public static boolean verifyUserId(Sig sig, Packet userId, PGPPublicKey target,
      PGPPublicKey issuer) {
    int t = sig.type();
    if (!(sig.isCertification() || t == PGPSignature.CERTIFICATION_REVOCATION)) {
      return false;
    }
    try {
      PGPSignature s = sig.signature();
      s.init(PROVIDER, issuer);
      if (userId.tag() == Packet.USER_ID) {
        return s.verifyCertification(userId.bodyUnsafe(), target);
      }
      UserAttributePacket uat = (UserAttributePacket) new BCPGInputStream(
          new ByteArrayInputStream(userId.encoded())).readPacket();
      return s.verifyCertification(
          PGPUserAttributeSubpacketVector.fromSubpackets(uat.getSubpackets()), target);
    } catch (Exception | StackOverflowError e) {
      return false;
    }
  }

  /** A subkey binding (0x18) or subkey revocation (0x28) made by the primary key. */
  public static boolean verifySubkey(Sig sig, PGPPublicKey primary, PGPPublicKey subkey) {
    int t = sig.type();
    if (t != PGPSignature.SUBKEY_BINDING && t != PGPSignature.SUBKEY_REVOCATION) {
      return false;
    }
    try {
      PGPSignature s = sig.signature();
      s.init(PROVIDER, primary);
      return s.verifyCertification(primary, subkey);
    } catch (Exception | StackOverflowError e) {
      return false;
    }
  }

  /** A direct-key signature (0x1F) or key revocation (0x20) made by the key itself. */
  public static boolean verifyDirect(Sig sig, PGPPublicKey key) {
    int t = sig.type();
    if (t != PGPSignature.DIRECT_KEY && t != PGPSignature.KEY_REVOCATION) {
      return false;
    }
    try {
      PGPSignature s = sig.signature();
      s.init(PROVIDER, key);
      return s.verifyCertification(key);
    } catch (Exception | StackOverflowError e) {
      return false;
    }
  }
}
