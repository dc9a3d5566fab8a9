package org.keyhaven.ca.keys;

import org.keyhaven.common.Bytes;

/** Where a CA key lives: encrypted in the database, or in the PKCS#11 token under an alias. */
public sealed interface KeyReference {
  KeyAlgorithm algorithm();

  /** Encrypted PKCS#8 (PEM-free DER of EncryptedPrivateKeyInfo, PBES2). */
  record Software(KeyAlgorithm algorithm, Bytes encryptedPkcs8) implements KeyReference {
    @Override
    public String toString() {
      return "Software[" + algorithm.wireName() + ", encrypted]";
    }
  }

  /** A private key object on the HSM token. */
  record Token(KeyAlgorithm algorithm, String alias) implements KeyReference {}
}
