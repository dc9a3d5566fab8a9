package org.keyhaven.recipients;

import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.operator.bc.BcKeyFingerprintCalculator;
import org.bouncycastle.util.encoders.Hex;
import org.keyhaven.common.PkiException;

/**
 * Finds the key an OpenPGP sender would encrypt to: a subkey (or the primary) whose newest
 * binding signature grants an encryption flag, that is neither revoked nor expired. The
 * keyserver verified every signature when the key was stored; this only reads them.
 */
final class OpenPgpCapabilities {
  private OpenPgpCapabilities() {}

  static Optional<String> encryptionKey(byte[] keyring, Instant now) {
    PGPPublicKeyRing ring;
    try {
      ring = new PGPPublicKeyRing(keyring, new BcKeyFingerprintCalculator());
    } catch (IOException | RuntimeException e) {
      throw PkiException.internal(e, "stored key does not decode");
    }
    PGPPublicKey primary = ring.getPublicKey();
    String best = null;
    long bestCreated = Long.MIN_VALUE;
    for (Iterator<PGPPublicKey> it = ring.getPublicKeys(); it.hasNext(); ) {
      PGPPublicKey k = it.next();
      PGPSignature sig = k.isMasterKey() ? newestSelfCertification(k) : newest(k, PGPSignature.SUBKEY_BINDING);
      if (sig == null || (!k.isMasterKey() && k.getSignaturesOfType(PGPSignature.SUBKEY_REVOCATION).hasNext())) {
        continue;
      }
      PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
      int flags = hashed == null ? 0 : hashed.getKeyFlags();
      boolean canEncrypt = (flags & (KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE)) != 0
          || (flags == 0 && k.isEncryptionKey() && !k.isMasterKey());
      long expirySecs = hashed == null ? 0 : hashed.getKeyExpirationTime();
      boolean expired = expirySecs > 0
          && !k.getCreationTime().toInstant().plusSeconds(expirySecs).isAfter(now);
      if (canEncrypt && !expired && k.getCreationTime().getTime() > bestCreated) {
        best = Hex.toHexString(k.getFingerprint()).toUpperCase(Locale.ROOT);
        bestCreated = k.getCreationTime().getTime();
      }
    }
    return Optional.ofNullable(best);
  }

  private static PGPSignature newest(PGPPublicKey k, int type) {
    PGPSignature best = null;
    for (Iterator<PGPSignature> it = k.getSignaturesOfType(type); it.hasNext(); ) {
      PGPSignature s = it.next();
      if (best == null || s.getCreationTime().after(best.getCreationTime())) {
        best = s;
      }
    }
    return best;
  }

  private static PGPSignature newestSelfCertification(PGPPublicKey k) {
    PGPSignature best = null;
    for (Iterator<PGPSignature> it = k.getSignatures(); it.hasNext(); ) {
      PGPSignature s = it.next();
      if (s.isCertification() && s.getKeyID() == k.getKeyID()
          && (best == null || s.getCreationTime().after(best.getCreationTime()))) {
        best = s;
      }
    }
    return best;
  }

}
