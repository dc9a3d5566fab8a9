package org.keyhaven.ca.keys;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.spec.PKCS8EncodedKeySpec;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One BouncyCastle provider instance, passed explicitly where the JDK lacks an algorithm (PBES2
 * AES with PKCS#7 padding, OID-named key factories). Never registered globally, so it cannot
 * change which provider other modules get.
 */
public final class BcProvider {
  public static final Provider INSTANCE = new BouncyCastleProvider();

  /**
   * A software EC key as BouncyCastle's own key object, for signing with {@link #INSTANCE}.
   *
   * <p>Why: handed a JDK key, BouncyCastle converts its domain parameters on every
   * {@code initSign}, which yields a fresh base point and so rebuilds the fixed-point comb table
   * each time; measured here, P-256 signing ran at 3.3k/s that way and at 13.8k/s with the key
   * converted once. Token (PKCS#11) keys and non-EC keys come back unchanged.
   */
  public static PrivateKey forSigning(PrivateKey key) {
    byte[] pkcs8 = key.getEncoded();
    if (!"EC".equals(key.getAlgorithm()) || pkcs8 == null) {
      return key;
    }
    try {
      return KeyFactory.getInstance("EC", INSTANCE).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
    } catch (GeneralSecurityException e) {
      return key; // Still signs, only slower; a key BouncyCastle cannot read is not ours to fix.
    } finally {
      java.util.Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private BcProvider() {}
}
