package org.keyhaven.recipients;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

  /** A (sub)key that may encrypt, as its newest binding says; {@code expires} null: never. */
  record Candidate(String fingerprint, Instant created, Instant expires) {}

  /** The newest candidate that has not expired at {@code now}. */
  static Optional<String> encryptionKey(List<Candidate> candidates, Instant now) {
    Candidate best = null;
    for (Candidate c : candidates) {
      boolean expired = c.expires() != null && !c.expires().isAfter(now);
      if (!expired && (best == null || c.created().isAfter(best.created()))) {
        best = c;
      }
    }
    return Optional.ofNullable(best).map(Candidate::fingerprint);
  }

  /** Every unrevoked (sub)key whose newest binding grants encryption; time is applied later. */
  static List<Candidate> candidates(byte[] keyring) {
    PGPPublicKeyRing ring;
    try {
      ring = new PGPPublicKeyRing(keyring, new BcKeyFingerprintCalculator());
    } catch (IOException | RuntimeException e) {
      throw PkiException.internal(e, "stored key does not decode");
    }
    List<Candidate> out = new ArrayList<>();
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
      Instant created = k.getCreationTime().toInstant();
      if (canEncrypt) {
        out.add(new Candidate(Hex.toHexString(k.getFingerprint()).toUpperCase(Locale.ROOT),
            created, expirySecs > 0 ? created.plusSeconds(expirySecs) : null));
      }
    }
    return List.copyOf(out);
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
