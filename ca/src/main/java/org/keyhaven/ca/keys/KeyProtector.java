package org.keyhaven.ca.keys;

import java.security.PrivateKey;
import java.security.Provider;
import java.util.Arrays;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfoBuilder;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/**
 * Encrypts CA private keys at rest as PKCS#8 EncryptedPrivateKeyInfo with PBES2 (PBKDF2 with
 * HMAC-SHA256, AES-256-CBC; RFC 8018 §6.2), which {@code openssl pkcs8} can also read.
 */
public final class KeyProtector {
  private static final Provider BC = BcProvider.INSTANCE;

  private final MasterSecret secret;
  private final int iterations;

  public KeyProtector(MasterSecret secret, int iterations) {
    if (iterations < 1000) {
      throw new IllegalArgumentException("PBKDF2 iterations below 1000");
    }
    this.secret = secret;
    this.iterations = iterations;
  }

  public Bytes encrypt(PrivateKey key) {
    char[] pw = secret.passphrase();
    try {
      OutputEncryptor enc =
          new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
              .setPRF(PKCS8Generator.PRF_HMACSHA256)
              .setIterationCount(iterations)
              .setPassword(pw)
              .setProvider(BC)
              .build();
      PKCS8EncryptedPrivateKeyInfo info =
          new PKCS8EncryptedPrivateKeyInfoBuilder(PrivateKeyInfo.getInstance(key.getEncoded()))
              .build(enc);
      return Bytes.copyOf(info.getEncoded());
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot encrypt CA key");
    } finally {
      Arrays.fill(pw, '\0');
    }
  }

  public PrivateKey decrypt(Bytes encrypted) {
    char[] pw = secret.passphrase();
    try {
      PKCS8EncryptedPrivateKeyInfo info =
          new PKCS8EncryptedPrivateKeyInfo(encrypted.toByteArray());
      PrivateKeyInfo plain =
          info.decryptPrivateKeyInfo(
              new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(pw));
      return new JcaPEMKeyConverter().getPrivateKey(plain);
    } catch (Exception e) {
      // Wrong master secret or corrupted row: our fault, never the client's.
      throw PkiException.internal(e, "cannot decrypt CA key (wrong master secret?)");
    } finally {
      Arrays.fill(pw, '\0');
    }
  }
}
