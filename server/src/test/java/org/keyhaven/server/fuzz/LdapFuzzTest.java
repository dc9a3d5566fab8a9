package org.keyhaven.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.unboundid.asn1.ASN1Element;
import com.unboundid.asn1.ASN1Exception;
import com.unboundid.ldap.sdk.CompareRequest;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.keyhaven.directory.embedded.EmbeddedDirectory;

/**
 * LDAP filters and operations reaching the embedded directory over the wire: searches with a
 * fuzzed base, scope, filter (as filter text, or as raw BER that UnboundID decodes into filters
 * no text parser would produce) and attribute list, and compares. Whatever arrives, the server
 * must answer with an LDAP result that says what was wrong with the request; a finding is an
 * internal error (operationsError, other, unavailable: an exception in our interceptor or index)
 * or a server that stops answering. A plain test run replays the committed corpus under
 * src/test/resources; {@code JAZZER_FUZZ=1} fuzzes (bench/reliability/fuzz.sh).
 */
class LdapFuzzTest {
  static final String BASE = "dc=example,dc=org";
  static final String[] BASES = {BASE, "ou=people," + BASE, "ou=pgpkeys," + BASE,
      "cn=pgpServerInfo," + BASE, ""};
  /** Results that mean the server, not the request, failed. */
  static final Set<ResultCode> SERVER_FAILURES = Set.of(ResultCode.OPERATIONS_ERROR,
      ResultCode.OTHER, ResultCode.UNAVAILABLE, ResultCode.SERVER_DOWN, ResultCode.LOCAL_ERROR,
      ResultCode.DECODING_ERROR, ResultCode.PROTOCOL_ERROR);

  static EmbeddedDirectory directory;
  static LDAPConnection connection;

  @BeforeAll
  static void start() throws Exception {
    directory = EmbeddedDirectory.start(BASE, "127.0.0.1", 0);
    connection = new LDAPConnection("127.0.0.1", directory.port());
  }

  @AfterAll
  static void stop() {
    if (connection != null) {
      connection.close();
    }
    if (directory != null) {
      directory.close();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void ldapSearchAndCompare(FuzzedDataProvider data) throws Exception {
    String base = data.consumeBoolean() ? BASES[data.consumeInt(0, BASES.length - 1)]
        : data.consumeString(200);
    SearchScope scope = SearchScope.definedValueOf(data.consumeInt(0, 3));
    String[] attributes = new String[data.consumeInt(0, 3)];
    for (int i = 0; i < attributes.length; i++) {
      attributes[i] = data.consumeString(40);
    }
    boolean compare = data.consumeInt(0, 9) == 0;
    Filter filter;
    try {
      filter = data.consumeBoolean()
          ? Filter.decode(ASN1Element.decode(data.consumeRemainingAsBytes()))
          : Filter.create(data.consumeRemainingAsString());
    } catch (LDAPException | ASN1Exception | RuntimeException e) {
      // Refused by the client library: never reaches the server. (UnboundID 7.0.3's
      // Filter.create throws StringIndexOutOfBoundsException on an escape cut short at the end,
      // found by this target; Keyhaven never parses filter text, it builds filters with
      // Filter.createEqualityFilter, so only this harness meets it.)
      return;
    }
    LDAPResult result;
    try {
      if (compare) {
        String attribute = attributes.length > 0 ? attributes[0] : "mail";
        result = connection.compare(new CompareRequest(base, attribute, filter.toString()));
      } else {
        SearchRequest r = new SearchRequest(base, scope, filter, attributes);
        r.setSizeLimit(50);
        result = connection.search(r);
      }
    } catch (LDAPSearchException e) {
      result = e.getSearchResult();
    } catch (LDAPException e) {
      if (e.getResultCode() == ResultCode.PARAM_ERROR) {
        return; // the client library refused to send it (an invalid DN or attribute)
      }
      result = e.toLDAPResult();
    }
    if (SERVER_FAILURES.contains(result.getResultCode())) {
      throw new AssertionError("the directory failed on base '" + base + "', filter "
          + filter + ": " + result);
    }
    if (!connection.isConnected()) {
      throw new AssertionError("the directory dropped the connection on filter " + filter);
    }
  }
}
