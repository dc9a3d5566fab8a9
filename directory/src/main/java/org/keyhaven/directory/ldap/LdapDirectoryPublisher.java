package org.keyhaven.directory.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ContentVerifierProviderBuilder;
import org.keyhaven.common.PkiException;
import org.keyhaven.directory.CertificateDirectory;
import org.keyhaven.directory.DirectoryPublisher;
import org.keyhaven.directory.PgpKeyFacts;

/**
 * Publishes certificates, CRLs and OpenPGP keys into one LDAP directory (the embedded server or
 * an external OpenLDAP), with the layout of docs/DIRECTORY.md: people under ou=people, CAs under
 * ou=cas, OpenPGP keys under ou=GnuPG Keys with a cn=pgpServerInfo pointing there.
 */
public final class LdapDirectoryPublisher implements DirectoryPublisher, CertificateDirectory {
  /**
   * RFC 2798's S/MIME attribute. Its syntax is Binary, not Certificate, so it never takes the
   * {@code ;binary} option (OpenLDAP's inetorgperson.schema says so and rejects it).
   */
  static final String SMIME = "userSMIMECertificate";

  private final LDAPInterface ldap;
  private final DirectoryLayout layout;
  private final boolean binaryTransfer;
  private final Clock clock;
  private final PersonMirror mirror;
  private volatile boolean skeletonChecked;

  /**
   * @param binaryTransfer true for OpenLDAP (certificate syntaxes are written with {@code
   *     ;binary}, RFC 4523 §2); false for the embedded server's in-process interface, which stores
   *     the plain attribute and lets its interceptor add the option on the wire
   */
  public LdapDirectoryPublisher(LDAPInterface ldap, String baseDn, boolean binaryTransfer,
      Clock clock) {
    this(ldap, baseDn, binaryTransfer, clock, PersonMirror.NONE);
  }

  /**
   * @param mirror told the full content of every person entry written or deleted here (the
   *     embedded directory's read model); person entries are written by this class only
   */
  public LdapDirectoryPublisher(LDAPInterface ldap, String baseDn, boolean binaryTransfer,
      Clock clock, PersonMirror mirror) {
    this.mirror = mirror;
    this.ldap = ldap;
    this.layout = new DirectoryLayout(baseDn);
    this.binaryTransfer = binaryTransfer;
    this.clock = clock;
    this.skeletonChecked = !binaryTransfer;
  }

  public DirectoryLayout layout() {
    return layout;
  }

  private String attr(String name) {
    return binaryTransfer ? name + ";binary" : name;
  }

  @Override
  public void publishCertificate(byte[] der) {
    X509Facts.Cert c = X509Facts.certificate(der);
    if (c.isCa()) {
      throw PkiException.policy("a CA certificate goes to publishCaCertificate");
    }
    if (!c.notAfter().isAfter(clock.instant())) {
      withdrawCertificate(der);
      return;
    }
    run(() -> {
      for (String mailbox : c.mailboxes()) {
        String dn = layout.personDn(mailbox);
        Entry e = ldap.getEntry(dn);
        if (e == null) {
          Entry person = newPerson(dn, mailbox, c.commonName(), List.of(der));
          ldap.add(person);
          mirror.put(person);
        } else {
          List<byte[]> certs = liveValues(e, "userCertificate");
          if (!contains(certs, der)) {
            certs.add(der);
          }
          replaceCertificates(e, certs);
        }
      }
    });
  }

  @Override
  public void withdrawCertificate(byte[] der) {
    X509Facts.Cert c = X509Facts.certificate(der);
    run(() -> {
      for (String mailbox : c.mailboxes()) {
        Entry e = ldap.getEntry(layout.personDn(mailbox));
        if (e == null) {
          continue;
        }
        List<byte[]> certs = liveValues(e, "userCertificate");
        certs.removeIf(v -> Arrays.equals(v, der));
        if (certs.isEmpty()) {
          ldap.delete(e.getDN());
          mirror.remove(e.getDN());
        } else {
          replaceCertificates(e, certs);
        }
      }
    });
  }

  @Override
  public void publishCaCertificate(byte[] der) {
    X509Facts.Cert c = X509Facts.certificate(der);
    if (!c.isCa()) {
      throw PkiException.policy("not a CA certificate (basicConstraints cA is not set)");
    }
    run(() -> {
      String dn = layout.caDn(c.commonName());
      Entry e = ldap.getEntry(dn);
      if (e == null) {
        ldap.add(new Entry(dn,
            new Attribute("objectClass", "top", "applicationProcess", "pkiCA", "deltaCRL"),
            new Attribute("cn", c.commonName()), new Attribute(attr("cACertificate"), der)));
      } else if (!contains(values(e, "cACertificate"), der)) {
        List<byte[]> certs = values(e, "cACertificate");
        certs.add(der);
        ldap.modify(e.getDN(), new Modification(ModificationType.REPLACE, attr("cACertificate"),
            certs.toArray(new byte[0][])));
      }
    });
  }

  @Override
  public List<String> publishCrl(byte[] der) {
    X509Facts.Crl crl = X509Facts.crl(der);
    run(() -> {
      Entry e = ldap.getEntry(layout.caDn(crl.issuerCommonName()));
      if (e == null) {
        // The CA certificate event has not been published yet; the outbox retries later.
        throw PkiException.unavailable("no CA entry for CRL issuer %s yet",
            crl.issuerCommonName());
      }
      requireSignedByEntryCa(crl, e);
      String name = crl.delta() ? "deltaRevocationList" : "certificateRevocationList";
      for (byte[] current : values(e, name)) {
        try {
          BigInteger have = X509Facts.crl(current).number();
          if (have.compareTo(crl.number()) > 0) {
            return; // a newer CRL is already published; an old event arrived late
          }
        } catch (PkiException bad) {
          // an unparsable value is simply replaced
        }
      }
      List<Modification> mods = new ArrayList<>();
      mods.add(new Modification(ModificationType.REPLACE, attr(name), der));
      if (!crl.delta()) {
        // Our full CRLs cover CA certificates too, so they double as the ARL (RFC 4523 §2.4).
        mods.add(new Modification(ModificationType.REPLACE, attr("authorityRevocationList"), der));
      }
      ldap.modify(e.getDN(), mods);
    });
    return crl.revokedSerials();
  }

  private static void requireSignedByEntryCa(X509Facts.Crl crl, Entry caEntry) {
    for (byte[] caDer : values(caEntry, "cACertificate")) {
      try {
        X509CertificateHolder ca = new X509CertificateHolder(caDer);
        if (ca.getSubject().equals(crl.holder().getIssuer()) && crl.holder().isSignatureValid(
            new JcaX509ContentVerifierProviderBuilder().build(ca))) {
          return;
        }
      } catch (Exception e) {
        // try the next CA certificate
      }
    }
    throw PkiException.malformed("CRL signature does not verify with the CA certificate of %s",
        caEntry.getDN());
  }

  @Override
  public void publishKey(PgpKeyFacts key) {
    List<Attribute> attrs = KeyEntries.attributes(key);
    run(() -> {
      String dn = layout.keyDn(key.certId());
      Entry e = ldap.getEntry(dn);
      if (e == null) {
        ldap.add(new Entry(dn, attrs));
        return;
      }
      List<Modification> mods = new ArrayList<>();
      for (Attribute a : attrs) {
        mods.add(new Modification(ModificationType.REPLACE, a.getName(), a.getValueByteArrays()));
      }
      for (String optional : KeyEntries.OPTIONAL) {
        if (attrs.stream().noneMatch(a -> a.getName().equalsIgnoreCase(optional))
            && e.hasAttribute(optional)) {
          mods.add(new Modification(ModificationType.REPLACE, optional));
        }
      }
      ldap.modify(dn, mods);
    });
  }

  @Override
  public void removeKey(String fingerprintHex) {
    run(() -> {
      for (Entry e : Paged.search(ldap, layout.keySpaceDn(),
          com.unboundid.ldap.sdk.Filter.createEqualityFilter("gpgFingerprint", fingerprintHex),
          "1.1")) {
        ldap.delete(e.getDN());
      }
    });
  }

  @Override
  public void removeMailbox(String mailbox) {
    run(() -> {
      try {
        ldap.delete(layout.personDn(mailbox));
        mirror.remove(layout.personDn(mailbox));
      } catch (LDAPException e) {
        if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
          throw e;
        }
      }
    });
  }

  @Override
  public List<String> publishedMailboxes() {
    List<String> out = new ArrayList<>();
    run(() -> {
      for (Entry e : Paged.search(ldap, layout.peopleDn(),
          com.unboundid.ldap.sdk.Filter.createPresenceFilter("mail"), "mail")) {
        out.add(e.getAttributeValue("mail"));
      }
    });
    return out;
  }

  @Override
  public List<String> publishedKeyFingerprints() {
    List<String> out = new ArrayList<>();
    run(() -> {
      for (Entry e : Paged.search(ldap, layout.keySpaceDn(),
          com.unboundid.ldap.sdk.Filter.createPresenceFilter("gpgFingerprint"),
          "gpgFingerprint")) {
        out.add(e.getAttributeValue("gpgFingerprint").toUpperCase(java.util.Locale.ROOT));
      }
    });
    return out;
  }

  @Override
  public List<byte[]> certificatesFor(String mailbox) {
    String m;
    try {
      m = X509Facts.normalizeMailbox(mailbox);
    } catch (PkiException e) {
      return List.of();
    }
    List<byte[]> out = new ArrayList<>();
    run(() -> {
      Entry e = ldap.getEntry(layout.personDn(m));
      if (e != null) {
        out.addAll(liveValues(e, "userCertificate"));
      }
    });
    return out;
  }

  /** Values of every attribute whose base name is {@code baseName}, whatever its options. */
  static List<byte[]> values(Entry e, String baseName) {
    List<byte[]> out = new ArrayList<>();
    for (Attribute a : e.getAttributes()) {
      if (a.getBaseName().equalsIgnoreCase(baseName)) {
        out.addAll(Arrays.asList(a.getValueByteArrays()));
      }
    }
    return out;
  }

  /** The entry's certificates minus expired or unparsable ones ("expired leave", issue 5). */
  private List<byte[]> liveValues(Entry e, String baseName) {
    List<byte[]> out = values(e, baseName);
    out.removeIf(v -> {
      try {
        return !X509Facts.certificate(v).notAfter().isAfter(clock.instant());
      } catch (PkiException bad) {
        return true;
      }
    });
    return out;
  }

  /**
   * Sets a person's {@code userCertificate} values and keeps {@code userSMIMECertificate} (one
   * certs-only PKCS#7 holding the same certificates, RFC 2798 §9.1.6) in step with them, in one
   * modify so a reader never sees the two disagree.
   */
  private void replaceCertificates(Entry e, List<byte[]> wanted) throws LDAPException {
    List<Modification> mods = new ArrayList<>();
    List<byte[]> have = values(e, "userCertificate");
    if (have.size() != wanted.size() || !wanted.stream().allMatch(w -> contains(have, w))) {
      mods.add(new Modification(ModificationType.REPLACE, attr("userCertificate"),
          wanted.toArray(new byte[0][])));
    }
    byte[] bundle = SmimeBundle.certsOnly(wanted);
    List<byte[]> smime = values(e, SMIME);
    if (smime.size() != 1 || !Arrays.equals(smime.get(0), bundle)) {
      mods.add(new Modification(ModificationType.REPLACE, SMIME, bundle));
    }
    if (!mods.isEmpty()) {
      ldap.modify(e.getDN(), mods);
      Entry after = e.duplicate();
      for (Modification m : mods) {
        // Only the embedded server has a mirror, and it is written without ;binary.
        after.setAttribute(new Attribute(m.getAttributeName(), m.getValueByteArrays()));
      }
      mirror.put(after);
    }
  }

  /** A person entry holding {@code certs} (one mailbox, its certificates, their PKCS#7). */
  private Entry newPerson(String dn, String mailbox, String commonName, List<byte[]> certs) {
    String cn = commonName.isBlank() ? mailbox : commonName;
    String[] words = cn.trim().split("\\s+");
    return new Entry(dn,
        new Attribute("objectClass", "top", "person", "organizationalPerson", "inetOrgPerson",
            "pkiUser"),
        new Attribute("uid", mailbox), new Attribute("cn", cn),
        new Attribute("sn", words[words.length - 1]), new Attribute("mail", mailbox),
        new Attribute(attr("userCertificate"), certs.toArray(new byte[0][])),
        new Attribute(SMIME, SmimeBundle.certsOnly(certs)));
  }

  /**
   * Publishes many end-entity certificates into a directory that has no person entries yet
   * (the embedded server right after {@code clear()}): certificates are parsed once, grouped by
   * mailbox, and each person entry is added whole, with no read before the write. A mailbox
   * whose entry exists after all falls back to {@link #publishCertificate}. Bad or expired
   * certificates are skipped, as the reconcile skips them one by one.
   *
   * @return how many certificates were published
   */
  @Override
  public int loadCertificates(List<byte[]> ders) {
    java.util.Map<String, List<byte[]>> byMailbox = new java.util.LinkedHashMap<>();
    java.util.Map<String, String> names = new java.util.HashMap<>();
    int published = 0;
    java.time.Instant now = clock.instant();
    for (byte[] der : ders) {
      X509Facts.Cert c;
      try {
        c = X509Facts.certificate(der);
      } catch (PkiException bad) {
        continue;
      }
      if (c.isCa() || !c.notAfter().isAfter(now)) {
        continue;
      }
      published++;
      for (String mailbox : c.mailboxes()) {
        List<byte[]> certs = byMailbox.computeIfAbsent(mailbox, k -> new ArrayList<>());
        if (!contains(certs, der)) {
          certs.add(der);
        }
        names.putIfAbsent(mailbox, c.commonName());
      }
    }
    run(() -> {
      for (var m : byMailbox.entrySet()) {
        Entry person = newPerson(layout.personDn(m.getKey()), m.getKey(),
            names.get(m.getKey()), m.getValue());
        try {
          ldap.add(person);
          mirror.put(person);
        } catch (LDAPException e) {
          if (e.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
            throw e;
          }
          for (byte[] der : m.getValue()) {
            publishCertificate(der);
          }
        }
      }
    });
    return published;
  }

  private static boolean contains(List<byte[]> list, byte[] v) {
    return list.stream().anyMatch(x -> Arrays.equals(x, v));
  }

  private interface LdapWork {
    void run() throws LDAPException;
  }

  private void run(LdapWork work) {
    try {
      if (!skeletonChecked) {
        layout.ensureSkeleton(ldap);
        skeletonChecked = true;
      }
      work.run();
    } catch (LDAPException e) {
      throw translate(e);
    }
  }

  static PkiException translate(LDAPException e) {
    ResultCode rc = e.getResultCode();
    if (!ResultCode.isConnectionUsable(rc) || rc == ResultCode.BUSY
        || rc == ResultCode.UNAVAILABLE || rc == ResultCode.TIMEOUT
        || rc == ResultCode.TIME_LIMIT_EXCEEDED) {
      return PkiException.unavailable("directory unavailable: %s", e.getMessage());
    }
    return PkiException.internal(e, "directory refused the change: %s", rc);
  }

  /** Escapes nothing by hand: RDN values go through UnboundID's DN encoder. */
  static String dn(String attr, String value, String parent) {
    return new DN(new RDN(attr, value), parseDn(parent)).toString();
  }

  private static DN parseDn(String dn) {
    try {
      return new DN(dn);
    } catch (LDAPException e) {
      throw PkiException.malformed("not a DN: %s", dn);
    }
  }
}
