package org.keyhaven.ca.keys;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * One BouncyCastle provider instance, passed explicitly where the JDK lacks an algorithm (PBES2
 * AES with PKCS#7 padding, OID-named key factories). Never registered globally, so it cannot
 * change which provider other modules get.
 */
public final class BcProvider {
  public static final Provider INSTANCE = new BouncyCastleProvider();

  private BcProvider() {}
}
