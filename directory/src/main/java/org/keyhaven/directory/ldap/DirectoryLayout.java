package org.keyhaven.directory.ldap;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where each kind of entry lives under the base DN. The same layout on both backends, so a
 * client configured for one works against the other.
 */
public record DirectoryLayout(String baseDn) {
  public String peopleDn() {
    return "ou=people," + baseDn;
  }

  public String casDn() {
    return "ou=cas," + baseDn;
  }

  /** {@code pgpBaseKeySpaceDN}, as gnupg's init LDIF names it. */
  public String keySpaceDn() {
    return "ou=GnuPG Keys," + baseDn;
  }

  public String personDn(String mailbox) {
    return LdapDirectoryPublisher.dn("uid", mailbox, peopleDn());
  }

  public String caDn(String commonName) {
    return LdapDirectoryPublisher.dn("cn", commonName, casDn());
  }

  public String keyDn(String certId) {
    return LdapDirectoryPublisher.dn("pgpCertID", certId, keySpaceDn());
  }

  /** The base entries in parent-first order: suffix, OUs, and gpg's cn=pgpServerInfo. */
  public List<Entry> skeleton() throws LDAPException {
    List<Entry> out = new ArrayList<>();
    RDN rdn = new DN(baseDn).getRDN();
    String attr = rdn.getAttributeNames()[0];
    Entry base = new Entry(baseDn);
    if (attr.equalsIgnoreCase("dc")) {
      base.addAttribute("objectClass", "top", "domain");
    } else if (attr.equalsIgnoreCase("o")) {
      base.addAttribute("objectClass", "top", "organization");
    } else {
      base.addAttribute("objectClass", "top", "organizationalUnit");
    }
    base.addAttribute(attr, rdn.getAttributeValues()[0]);
    out.add(base);
    for (String ou : new String[] {"people", "cas", "GnuPG Keys"}) {
      out.add(new Entry("ou=" + ou + "," + baseDn,
          new Attribute("objectClass", "top", "organizationalUnit"), new Attribute("ou", ou)));
    }
    // gpg reads this anonymously after the rootDSE; pgpSoftware GnuPG with version 2 enables the
    // gpgFingerprint and gpgMailbox searches (gnupg dirmngr/ks-engine-ldap.c).
    out.add(new Entry("cn=pgpServerInfo," + baseDn,
        new Attribute("objectClass", "top", "pgpServerInfo"),
        new Attribute("cn", "pgpServerInfo"),
        new Attribute("pgpBaseKeySpaceDN", keySpaceDn()),
        new Attribute("pgpSoftware", "GnuPG"),
        new Attribute("pgpVersion", "2")));
    return out;
  }

  /** Adds whichever skeleton entries are missing (an external directory may have some). */
  void ensureSkeleton(LDAPInterface ldap) throws LDAPException {
    for (Entry e : skeleton()) {
      if (ldap.getEntry(e.getDN(), "1.1") == null) {
        try {
          ldap.add(e);
        } catch (LDAPException ex) {
          if (ex.getResultCode() != ResultCode.ENTRY_ALREADY_EXISTS) {
            throw ex;
          }
        }
      }
    }
  }
}
