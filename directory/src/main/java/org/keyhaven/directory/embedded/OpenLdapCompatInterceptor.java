package org.keyhaven.directory.embedded;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedAddRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedDeleteRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyDNRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedModifyRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchEntry;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.AddRequest;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import com.unboundid.ldap.sdk.ModifyRequest;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Gives the in-memory server OpenLDAP's behaviour where mail clients and gpg depend on it: {@code
 * ;binary} is a transfer option, not a subtype (RFC 4522 §2), objectClass replaces keep {@code
 * top}, search time limits are capped, and network writes are confined to the OpenPGP key space.
 */
final class OpenLdapCompatInterceptor extends InMemoryOperationInterceptor {
  /** Certificate, CertificateList and CertificatePair syntax attributes (RFC 4523 §2). */
  static final Set<String> BINARY_ATTRIBUTES = Set.of(
      "usercertificate", "2.5.4.36", "cacertificate", "2.5.4.37", "crosscertificatepair",
      "2.5.4.40", "certificaterevocationlist", "2.5.4.39", "authorityrevocationlist", "2.5.4.38",
      "deltarevocationlist", "2.5.4.53");

  private final DN keySpace;
  private final int maxTimeLimitSeconds;

  private final PeopleIndex people;

  OpenLdapCompatInterceptor(DN keySpace, int maxTimeLimitSeconds, PeopleIndex people) {
    this.keySpace = keySpace;
    this.maxTimeLimitSeconds = maxTimeLimitSeconds;
    this.people = people;
  }

  static boolean isBinary(String baseName) {
    return BINARY_ATTRIBUTES.contains(baseName.toLowerCase(Locale.ROOT));
  }

  /** {@code userCertificate;binary} becomes {@code userCertificate}; other names are kept. */
  static String stripBinary(String description) {
    int semi = description.indexOf(';');
    if (semi < 0 || !isBinary(description.substring(0, semi))) {
      return description;
    }
    StringBuilder out = new StringBuilder(description.substring(0, semi));
    for (String option : description.substring(semi + 1).split(";")) {
      if (!option.equalsIgnoreCase("binary")) {
        out.append(';').append(option);
      }
    }
    return out.toString();
  }

  @Override
  public void processSearchRequest(InMemoryInterceptedSearchRequest request) throws LDAPException {
    SearchRequest search = request.getRequest().duplicate();
    List<String> attributes = new ArrayList<>();
    for (String a : search.getAttributes()) {
      attributes.add(stripBinary(a));
    }
    search.setAttributes(attributes);
    search.setFilter(rewrite(search.getFilter()));
    List<Entry> answer = people.answer(search);
    if (answer != null) {
      for (Entry e : answer) {
        request.sendSearchEntry(e); // through processSearchEntry below, like any result
      }
      // The interceptor API's way to answer without the wrapped handler: the "exception"
      // carries the final result, here success. No message: with one, ldapsearch would print
      // "Additional information: success", which the in-memory server never sends.
      throw new LDAPException(ResultCode.SUCCESS, (String) null);
    }
    int limit = search.getTimeLimitSeconds();
    if (limit <= 0 || limit > maxTimeLimitSeconds) {
      search.setTimeLimitSeconds(maxTimeLimitSeconds);
    }
    request.setRequest(search);
  }

  @Override
  public void processSearchEntry(InMemoryInterceptedSearchEntry result) {
    Entry entry = result.getSearchEntry();
    boolean binary = false;
    for (Attribute a : entry.getAttributes()) {
      binary |= isBinary(a.getBaseName()) && !a.hasOption("binary");
    }
    if (!binary) {
      return;
    }
    // OpenLDAP always answers with the ;binary option for these syntaxes (RFC 4523 §2).
    List<Attribute> renamed = new ArrayList<>();
    for (Attribute a : entry.getAttributes()) {
      if (isBinary(a.getBaseName()) && !a.hasOption("binary")) {
        renamed.add(new Attribute(a.getName() + ";binary", a.getValueByteArrays()));
      } else {
        renamed.add(a);
      }
    }
    result.setSearchEntry(new Entry(entry.getDN(), renamed));
  }

  @Override
  public void processAddRequest(InMemoryInterceptedAddRequest request) throws LDAPException {
    AddRequest add = request.getRequest().duplicate();
    requireKeySpace(add.getDN());
    List<Attribute> attributes = new ArrayList<>();
    for (Attribute a : add.getAttributes()) {
      requireNotPersonKey(a.getName());
      attributes.add(new Attribute(stripBinary(a.getName()), a.getValueByteArrays()));
    }
    add.setAttributes(attributes);
    request.setRequest(add);
  }

  @Override
  public void processModifyRequest(InMemoryInterceptedModifyRequest request) throws LDAPException {
    ModifyRequest modify = request.getRequest().duplicate();
    requireKeySpace(modify.getDN());
    List<Modification> mods = new ArrayList<>();
    for (Modification m : modify.getModifications()) {
      requireNotPersonKey(m.getAttributeName());
      String name = stripBinary(m.getAttributeName());
      byte[][] values = m.getValueByteArrays();
      if (m.getModificationType() == ModificationType.REPLACE
          && name.equalsIgnoreCase("objectClass") && values.length > 0) {
        // gpg --send-keys replaces objectClass with only pgpKeyInfo; OpenLDAP keeps the implied
        // superior "top", the in-memory schema check rejects the entry without it.
        Set<String> classes = new LinkedHashSet<>();
        classes.add("top");
        for (String v : m.getValues()) {
          classes.add(v);
        }
        mods.add(new Modification(ModificationType.REPLACE, name, classes.toArray(new String[0])));
      } else {
        mods.add(new Modification(m.getModificationType(), name, values));
      }
    }
    modify.setModifications(mods);
    request.setRequest(modify);
  }

  @Override
  public void processDeleteRequest(InMemoryInterceptedDeleteRequest request) throws LDAPException {
    requireKeySpace(request.getRequest().getDN());
  }

  @Override
  public void processModifyDNRequest(InMemoryInterceptedModifyDNRequest request)
      throws LDAPException {
    throw new LDAPException(ResultCode.UNWILLING_TO_PERFORM, "renames are not supported");
  }

  /**
   * mail and uid belong to person entries, which only the publisher writes; keeping them off
   * network-written entries is what lets {@link PeopleIndex} answer mail lookups exactly.
   */
  private void requireNotPersonKey(String attribute) throws LDAPException {
    if (people.isKeyAttribute(attribute.split(";", 2)[0])) {
      throw new LDAPException(ResultCode.UNWILLING_TO_PERFORM,
          "mail and uid are reserved for person entries, which are not written over LDAP");
    }
  }

  /** Network writes (gpg --send-keys) may only touch entries below the OpenPGP key space. */
  private void requireKeySpace(String dn) throws LDAPException {
    DN target = new DN(dn);
    if (!target.isDescendantOf(keySpace, false)) {
      throw new LDAPException(ResultCode.INSUFFICIENT_ACCESS_RIGHTS,
          "only OpenPGP keys below " + keySpace + " may be written over LDAP");
    }
  }

  static Filter rewrite(Filter f) {
    switch (f.getFilterType()) {
      case Filter.FILTER_TYPE_AND:
      case Filter.FILTER_TYPE_OR: {
        Filter[] parts = f.getComponents();
        Filter[] out = new Filter[parts.length];
        for (int i = 0; i < parts.length; i++) {
          out[i] = rewrite(parts[i]);
        }
        return f.getFilterType() == Filter.FILTER_TYPE_AND
            ? Filter.createANDFilter(out) : Filter.createORFilter(out);
      }
      case Filter.FILTER_TYPE_NOT:
        return Filter.createNOTFilter(rewrite(f.getNOTComponent()));
      case Filter.FILTER_TYPE_PRESENCE:
        return Filter.createPresenceFilter(stripBinary(f.getAttributeName()));
      case Filter.FILTER_TYPE_EQUALITY:
        return Filter.createEqualityFilter(stripBinary(f.getAttributeName()),
            f.getAssertionValueBytes());
      default:
        return f;
    }
  }
}
