package org.keyhaven.ca.hierarchy;

import java.io.IOException;
import java.io.StringReader;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.keyhaven.ca.keys.BcProvider;
import org.keyhaven.common.PkiException;

/**
 * Checks on certificates that come from outside (imported CAs, their chains, cross-certificates):
 * total PEM decoding, "is a CA", signature and path checks. Every failure is one client error whose
 * detail names the input and what is wrong with it.
 */
public final class ExternalCertificates {
  private static final int MAX_CERTIFICATES = 16;

  private ExternalCertificates() {}

  /** All CERTIFICATE blocks of {@code pem}; null or blank gives an empty list. */
  public static List<X509CertificateHolder> parse(String pem, String what) {
    List<X509CertificateHolder> out = new ArrayList<>();
    if (pem == null || pem.isBlank()) {
      return out;
    }
    try (PemReader r = new PemReader(new StringReader(pem))) {
      PemObject o;
      while ((o = r.readPemObject()) != null) {
        if (!o.getType().equals("CERTIFICATE")) {
          throw PkiException.malformed("%s holds a PEM block %s, expected CERTIFICATE", what,
              o.getType().length() > 40 ? "of another type" : o.getType());
        }
        if (out.size() >= MAX_CERTIFICATES) {
          throw PkiException.malformed("%s holds more than %d certificates", what,
              MAX_CERTIFICATES);
        }
        out.add(new X509CertificateHolder(o.getContent()));
      }
    } catch (PkiException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw PkiException.malformed("%s is not PEM X.509 certificates", what);
    }
    if (out.isEmpty()) {
      throw PkiException.malformed("%s holds no PEM certificate", what);
    }
    return out;
  }

  /** Exactly one certificate. */
  public static X509CertificateHolder parseOne(String pem, String what) {
    if (pem == null || pem.isBlank()) {
      throw PkiException.malformed("%s is required", what);
    }
    List<X509CertificateHolder> all = parse(pem, what);
    if (all.size() != 1) {
      throw PkiException.malformed("%s must be exactly one certificate, not %d", what,
          all.size());
    }
    return all.get(0);
  }

  /**
   * Refuses anything but a CA certificate valid at {@code now}: basicConstraints cA=true and
   * keyUsage with keyCertSign (RFC 5280 §4.2.1.9, §4.2.1.3), with names that decode (the CA's
   * subject is stored and shown as text).
   */
  public static void requireCa(X509CertificateHolder c, String what, Instant now) {
    try {
      c.getSubject().toString();
      c.getIssuer().toString();
    } catch (RuntimeException e) {
      throw PkiException.malformed("%s has a subject or issuer name that does not decode (%s)",
          what, dn(c.getSubject()));
    }
    BasicConstraints bc = basicConstraints(c);
    if (bc == null || !bc.isCA()) {
      throw PkiException.malformed("%s (%s) is not a CA certificate: basicConstraints cA is not"
          + " true", what, dn(c.getSubject()));
    }
    KeyUsage ku;
    try {
      ku = c.getExtensions() == null ? null : KeyUsage.fromExtensions(c.getExtensions());
    } catch (RuntimeException e) {
      throw PkiException.malformed("%s (%s) has a malformed keyUsage extension", what,
          dn(c.getSubject()));
    }
    if (ku == null || !ku.hasUsages(KeyUsage.keyCertSign)) {
      throw PkiException.malformed("%s (%s) is not a CA certificate: keyUsage lacks keyCertSign",
          what, dn(c.getSubject()));
    }
    if (!c.isValidOn(Date.from(now))) {
      throw PkiException.malformed("%s (%s) is not valid now (notBefore %s, notAfter %s)", what,
          dn(c.getSubject()), c.getNotBefore().toInstant(), c.getNotAfter().toInstant());
    }
  }

  private static BasicConstraints basicConstraints(X509CertificateHolder c) {
    try {
      return c.getExtensions() == null ? null
          : BasicConstraints.fromExtensions(c.getExtensions());
    } catch (RuntimeException e) {
      throw PkiException.malformed("certificate %s has a malformed basicConstraints extension",
          dn(c.getSubject()));
    }
  }

  /** The pathLenConstraint (values beyond int saturate), or -1 when there is none. */
  public static int pathLength(X509CertificateHolder c) {
    BasicConstraints bc = basicConstraints(c);
    if (bc == null || bc.getPathLenConstraint() == null) {
      return -1;
    }
    java.math.BigInteger p = bc.getPathLenConstraint();
    return p.bitLength() > 30 ? Integer.MAX_VALUE : p.intValue();
  }

  /**
   * A distinguished name for an error detail: one line, at most 200 characters. A name BC cannot
   * render (a UTF8String attribute holding invalid UTF-8 makes {@code toString} throw; found by
   * the 10-minute fuzz run) is shown as the hex of its DER encoding instead.
   */
  public static String dn(X500Name name) {
    String text;
    try {
      text = String.valueOf(name);
    } catch (RuntimeException e) {
      text = undecodableDn(name);
    }
    String s = text.replaceAll("[\\p{Cntrl}]+", " ");
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }

  private static String undecodableDn(X500Name name) {
    try {
      return "(undecodable name, DER " + org.bouncycastle.util.encoders.Hex.toHexString(
          name.getEncoded()) + ")";
    } catch (java.io.IOException | RuntimeException e) {
      return "(undecodable name)";
    }
  }

  public static boolean selfIssued(X509CertificateHolder c) {
    return c.getSubject().equals(c.getIssuer());
  }

  /** True if {@code c}'s signature verifies under {@code issuerKey}. */
  public static boolean signedBy(X509CertificateHolder c, SubjectPublicKeyInfo issuerKey) {
    try {
      return c.isSignatureValid(new JcaContentVerifierProviderBuilder()
          .setProvider(BcProvider.INSTANCE).build(issuerKey));
    } catch (Exception e) {
      return false;
    }
  }

  /**
   * The issuers of {@code start} from {@code pool}, nearest first, up to and including a
   * self-signed root: each found by subject name, each signature verified, each a CA valid now,
   * and each pathLenConstraint leaving room for the certificates below it.
   *
   * @return the path above {@code start} (never empty)
   */
  public static List<X509CertificateHolder> pathToRoot(X509CertificateHolder start,
      List<X509CertificateHolder> pool, String what, Instant now) {
    List<X509CertificateHolder> path = new ArrayList<>();
    X509CertificateHolder cur = start;
    while (path.size() <= MAX_CERTIFICATES) {
      X509CertificateHolder issuer = null;
      for (X509CertificateHolder cand : pool) {
        if (cand.getSubject().equals(cur.getIssuer()) && !cand.equals(cur)
            && signedBy(cur, cand.getSubjectPublicKeyInfo())) {
          issuer = cand;
          break;
        }
      }
      if (issuer == null) {
        X500Name wanted = cur.getIssuer();
        boolean named = pool.stream().anyMatch(c -> c.getSubject().equals(wanted));
        throw PkiException.malformed(named
            ? "signature of %s does not verify under its issuer %s in the chain"
            : "chain does not contain the issuer of %s (%s)", dn(cur.getSubject()),
            dn(cur.getIssuer()));
      }
      requireCa(issuer, "chain certificate", now);
      int below = path.size() + 1; // intermediates following this issuer, start included
      int pathLen = pathLength(issuer);
      if (pathLen >= 0 && pathLen < below) {
        throw PkiException.malformed("chain certificate %s has pathLenConstraint %d, which does"
            + " not allow %s below it", dn(issuer.getSubject()), pathLen, what);
      }
      path.add(issuer);
      if (selfIssued(issuer)) {
        if (!signedBy(issuer, issuer.getSubjectPublicKeyInfo())) {
          throw PkiException.malformed("self-signature of chain root %s does not verify",
              dn(issuer.getSubject()));
        }
        return path;
      }
      cur = issuer;
    }
    throw PkiException.malformed("chain of %s is longer than %d certificates", what,
        MAX_CERTIFICATES);
  }

  /**
   * How many CAs {@code start} may have below it given its own and its issuers' path length
   * constraints (RFC 5280 §4.2.1.9), or -1 for no limit.
   */
  public static int effectivePathLength(X509CertificateHolder start,
      List<X509CertificateHolder> path) {
    int limit = pathLength(start);
    for (int j = 0; j < path.size(); j++) {
      int p = pathLength(path.get(j));
      if (p >= 0) {
        int left = p - (j + 1);
        limit = limit < 0 ? left : Math.min(limit, left);
      }
    }
    return limit;
  }
}
