package org.keyhaven.directory.ldap;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPInterface;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import java.util.ArrayList;
import java.util.List;

/** Whole-subtree scans with the simple paged results control (RFC 2696), past size limits. */
final class Paged {
  private Paged() {}

  static List<Entry> search(LDAPInterface ldap, String base, Filter filter, String... attrs)
      throws LDAPException {
    List<Entry> out = new ArrayList<>();
    ASN1OctetString cookie = null;
    do {
      SearchRequest req = new SearchRequest(base, SearchScope.SUB, filter, attrs);
      req.addControl(new SimplePagedResultsControl(500, cookie));
      SearchResult r = ldap.search(req);
      out.addAll(r.getSearchEntries());
      SimplePagedResultsControl resp = SimplePagedResultsControl.get(r);
      cookie = resp == null ? null : resp.getCookie();
    } while (cookie != null && cookie.getValueLength() > 0);
    return out;
  }
}
