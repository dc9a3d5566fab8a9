package org.keyhaven.server.jobs;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.keyhaven.ca.hierarchy.LoopbackTlsCertificates;
import org.keyhaven.common.PkiException;

/**
 * The TLS context of the embedded directory's LDAPS and StartTLS listeners. Its key manager asks
 * {@link LoopbackTlsCertificates} for the current certificate at every handshake, so a renewal
 * (at half life) takes effect on the next connection without restarting the listeners.
 */
public final class DirectoryTls {
  private DirectoryTls() {}

  /** A TLS 1.2/1.3 server context whose certificate comes from {@code certificates}. */
  public static SSLContext context(LoopbackTlsCertificates certificates) {
    certificates.current(); // issue now: a CA problem fails the start, not the first handshake
    try {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(new KeyManager[] {new RenewingKeyManager(certificates)}, null, null);
      return ctx;
    } catch (java.security.GeneralSecurityException e) {
      throw PkiException.internal(e, "cannot set up TLS for the embedded directory");
    }
  }

  /**
   * Chooses the alias of the current certificate (its serial) and keeps the last few, so the
   * private key and chain JSSE fetches by alias later in a handshake still match the alias it
   * chose, even if a renewal happened in between.
   */
  static final class RenewingKeyManager extends X509ExtendedKeyManager {
    private final LoopbackTlsCertificates certificates;
    private final Map<String, Material> recent = new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Material> e) {
        return size() > 4;
      }
    };

    private record Material(PrivateKey key, X509Certificate[] chain) {}

    RenewingKeyManager(LoopbackTlsCertificates certificates) {
      this.certificates = certificates;
    }

    private synchronized String currentAlias() {
      LoopbackTlsCertificates.Issued issued = certificates.current();
      String alias = "tls-" + issued.serialHex();
      if (!recent.containsKey(alias)) {
        recent.put(alias, new Material(issued.key().getPrivate(), convert(issued.chain())));
      }
      return alias;
    }

    private synchronized Material material(String alias) {
      return alias == null ? null : recent.get(alias);
    }

    private static X509Certificate[] convert(List<X509CertificateHolder> chain) {
      JcaX509CertificateConverter c = new JcaX509CertificateConverter();
      X509Certificate[] out = new X509Certificate[chain.size()];
      try {
        for (int i = 0; i < out.length; i++) {
          out[i] = c.getCertificate(chain.get(i));
        }
      } catch (CertificateException e) {
        throw PkiException.internal(e, "cannot convert the TLS certificate");
      }
      return out;
    }

    /** The key is P-256: offer it only where JSSE asks for an EC key. */
    private String choose(String keyType) {
      return "EC".equalsIgnoreCase(keyType) ? currentAlias() : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return choose(keyType);
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
      return choose(keyType);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      String a = choose(keyType);
      return a == null ? null : new String[] {a};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      Material m = material(alias);
      return m == null ? null : m.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      Material m = material(alias);
      return m == null ? null : m.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return null;
    }
  }
}
