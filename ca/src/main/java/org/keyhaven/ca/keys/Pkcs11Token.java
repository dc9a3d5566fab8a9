package org.keyhaven.ca.keys;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.util.Arrays;
import org.keyhaven.common.PkiException;

/**
 * A logged-in PKCS#11 token reached through the JDK's SunPKCS11 provider. Keys generated here are
 * session objects until {@link #store} writes them, with their certificate, as token objects.
 */
public final class Pkcs11Token {
  private final Provider provider;
  private final KeyStore keyStore;

  private Pkcs11Token(Provider provider, KeyStore keyStore) {
    this.provider = provider;
    this.keyStore = keyStore;
  }

  /** Configures SunPKCS11 from the settings and logs in with the PIN. */
  public static Pkcs11Token open(Pkcs11Settings settings) {
    char[] pin = null;
    try {
      Provider base = Security.getProvider("SunPKCS11");
      if (base == null) {
        throw PkiException.unavailable("the SunPKCS11 provider is not available in this JVM");
      }
      Provider p = base.configure(settings.configFile().toString());
      pin = Files.readString(settings.pinFile(), StandardCharsets.UTF_8).strip().toCharArray();
      KeyStore ks = KeyStore.getInstance("PKCS11", p);
      ks.load(null, pin);
      return new Pkcs11Token(p, ks);
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot open the PKCS#11 token");
    } finally {
      if (pin != null) {
        Arrays.fill(pin, '\0');
      }
    }
  }

  public Provider provider() {
    return provider;
  }

  synchronized void store(String alias, PrivateKey key, Certificate[] chain) {
    try {
      keyStore.setKeyEntry(alias, key, null, chain);
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot store key %s on the PKCS#11 token", alias);
    }
  }

  synchronized PrivateKey load(String alias) {
    try {
      if (!keyStore.isKeyEntry(alias)) {
        throw PkiException.unavailable("CA key %s is not on the PKCS#11 token", alias);
      }
      return (PrivateKey) keyStore.getKey(alias, null);
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot load key %s from the PKCS#11 token", alias);
    }
  }
}
