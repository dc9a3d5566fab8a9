package org.keyhaven.directory.embedded;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.matchingrules.CaseIgnoreStringMatchingRule;
import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.schema.AttributeTypeDefinition;
import com.unboundid.ldap.sdk.schema.AttributeUsage;
import com.unboundid.ldap.sdk.schema.Schema;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.keyhaven.directory.ldap.PersonMirror;

/**
 * A read model of the person entries (ou=people), keyed by mailbox, that answers the lookups mail
 * clients make — Thunderbird's {@code (mail=a)}, Evolution's {@code
 * (&(userCertificate=*)(|(mail=a)))} — without going through the in-memory server's search.
 *
 * <p>Why: JFR under searchrate showed the in-memory server's search cost growing with the size of
 * the directory, not of the answer: every search allocates a result list sized to the whole entry
 * map (400 KB per search at 100,000 entries) and walks a TreeMap whose DN comparisons normalise
 * both RDNs on every step. This index makes a lookup one hash probe.
 *
 * <p>It is exact, not a cache: person entries are written only by the publisher, which reports
 * each write here ({@link PersonMirror}); only person entries carry {@code mail} or {@code uid}
 * (the interceptor refuses network writes of either), so "every entry with mail = a" is "the
 * person entry of a". Anything the index cannot answer exactly (controls, operational attributes,
 * other filters or scopes) goes to the in-memory server as before.
 */
final class PeopleIndex implements PersonMirror {
  private static final CaseIgnoreStringMatchingRule CASE_IGNORE =
      CaseIgnoreStringMatchingRule.getInstance();

  private final Map<String, Person> byMailbox = new ConcurrentHashMap<>();
  /** Searches answered here (tests check the index is really used). */
  final java.util.concurrent.atomic.LongAdder answered = new java.util.concurrent.atomic.LongAdder();
  private final Schema schema;
  private final Set<String> bases;
  private final AttributeTypeDefinition mail;
  private final AttributeTypeDefinition uid;

  PeopleIndex(Schema schema, String baseDn, String peopleDn) {
    this.schema = schema;
    try {
      this.bases = Set.of(new DN(baseDn).toNormalizedString(),
          new DN(peopleDn).toNormalizedString());
    } catch (LDAPException e) {
      throw new IllegalArgumentException("bad base DN " + baseDn, e);
    }
    this.mail = schema.getAttributeType("mail");
    this.uid = schema.getAttributeType("uid");
  }

  /** caseIgnore normalisation (case, surrounding and repeated spaces), as the server matches. */
  /**
   * A person entry as stored (filters are matched against it) and as sent: certificate
   * attributes already carry {@code ;binary}, so the interceptor's per-entry renaming finds
   * nothing to do. Both share the attribute values.
   */
  private record Person(Entry stored, Entry wire) {
    static Person of(Entry stored) {
      List<Attribute> wire = new ArrayList<>();
      for (Attribute a : stored.getAttributes()) {
        wire.add(OpenLdapCompatInterceptor.isBinary(a.getBaseName()) && !a.hasOption("binary")
            ? new Attribute(a.getName() + ";binary", a.getMatchingRule(), a.getRawValues())
            : a);
      }
      return new Person(stored, new Entry(stored.getDN(), wire));
    }
  }

  static String key(String value) {
    return CASE_IGNORE.normalize(new ASN1OctetString(value)).stringValue();
  }

  /** Whether {@code name} is the mail or uid attribute (by any of its names or its OID). */
  boolean isKeyAttribute(String name) {
    if (name.indexOf(';') >= 0) {
      return false;
    }
    AttributeTypeDefinition t = schema.getAttributeType(name);
    return t != null && (t.equals(mail) || t.equals(uid));
  }

  @Override
  public void put(Entry entry) {
    String m = entry.getAttributeValue("mail");
    if (m != null) {
      byMailbox.put(key(m), Person.of(entry));
    }
  }

  @Override
  public void remove(String dn) {
    try {
      // Person DNs are uid=<mailbox>,ou=people,<base> (DirectoryLayout.personDn).
      byMailbox.remove(key(new DN(dn).getRDN().getAttributeValues()[0]));
    } catch (LDAPException e) {
      byMailbox.values().removeIf(x -> x.stored().getDN().equalsIgnoreCase(dn));
    }
  }

  void clear() {
    byMailbox.clear();
  }

  int size() {
    return byMailbox.size();
  }

  /**
   * The entries to return for {@code search} (already stripped of {@code ;binary}), or null when
   * the in-memory server must answer it.
   */
  List<Entry> answer(SearchRequest search) {
    if (!search.getControlList().isEmpty() || search.typesOnly()
        || search.getScope() != SearchScope.SUB) {
      return null;
    }
    Set<AttributeTypeDefinition> wanted = new HashSet<>();
    boolean all = search.getAttributes().length == 0;
    for (String a : search.getAttributes()) {
      if (a.equals("*")) {
        all = true;
      } else if (a.equals("1.1")) {
        continue;
      } else if (a.equals("+") || a.indexOf(';') >= 0) {
        return null;
      } else {
        AttributeTypeDefinition t = schema.getAttributeType(a);
        if (t == null) {
          continue; // an unknown attribute is simply not returned
        }
        if (t.getUsage() != AttributeUsage.USER_APPLICATIONS) {
          return null; // operational attributes are generated by the in-memory server
        }
        wanted.add(t);
      }
    }
    String assertion = keyAssertion(search.getFilter());
    if (assertion == null) {
      return null;
    }
    try {
      if (!bases.contains(new DN(search.getBaseDN()).toNormalizedString())) {
        return null;
      }
    } catch (LDAPException e) {
      return null; // the in-memory server reports the bad base
    }
    Person p = byMailbox.get(key(assertion));
    answered.increment();
    try {
      if (p == null || !search.getFilter().matchesEntry(p.stored(), schema)) {
        return List.of();
      }
    } catch (LDAPException ex) {
      return null;
    }
    Entry e = p.wire();
    if (all) {
      return List.of(e);
    }
    List<Attribute> out = new ArrayList<>();
    for (Attribute a : e.getAttributes()) {
      if (wanted.contains(schema.getAttributeType(a.getBaseName()))) {
        out.add(a);
      }
    }
    return List.of(new Entry(e.getDN(), out));
  }

  /**
   * The value of an equality on mail or uid that every matching entry must satisfy: the filter
   * itself, a conjunct of an AND, or the only member of an OR inside one. Null if there is none.
   */
  private String keyAssertion(Filter f) {
    switch (f.getFilterType()) {
      case Filter.FILTER_TYPE_EQUALITY:
        return isKeyAttribute(f.getAttributeName()) ? f.getAssertionValue() : null;
      case Filter.FILTER_TYPE_AND:
        for (Filter c : f.getComponents()) {
          String v = keyAssertion(c);
          if (v != null) {
            return v;
          }
        }
        return null;
      case Filter.FILTER_TYPE_OR:
        return f.getComponents().length == 1 ? keyAssertion(f.getComponents()[0]) : null;
      default:
        return null;
    }
  }
}
