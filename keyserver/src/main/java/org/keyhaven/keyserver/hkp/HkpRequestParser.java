package org.keyhaven.keyserver.hkp;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.keyhaven.common.Hex;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyId;
import org.keyhaven.keyserver.KeyQuery;
import org.keyhaven.keyserver.openpgp.KeyIndexer;
import org.keyhaven.keyserver.openpgp.SksKeyHash;

/**
 * Turns {@code /pks/lookup} query parameters into an {@link HkpRequest}, refusing what it cannot
 * answer in words a user can act on (hagrid's and hockeypuck's model). Unknown parameters are
 * ignored (HKP draft §3.1). Total: every failure is MALFORMED or UNSUPPORTED.
 */
public final class HkpRequestParser {
  /** Substring searches shorter than this would enumerate the key set. */
  static final int MIN_TEXT = 3;

  private HkpRequestParser() {}

  public static HkpRequest parse(Map<String, List<String>> params) {
    String opText = first(params, "op");
    if (opText == null || opText.isBlank()) {
      throw PkiException.malformed("missing parameter op (get, index, vindex, stats or hget)");
    }
    HkpOp op = HkpOp.parse(opText);
    boolean mr = false;
    boolean nm = false;
    String options = first(params, "options");
    if (options != null) {
      for (String o : options.split(",")) {
        String t = o.strip().toLowerCase(Locale.ROOT);
        mr |= t.equals("mr");
        nm |= t.equals("nm");
      }
    }
    boolean fpr = on(first(params, "fingerprint"));
    boolean exact = on(first(params, "exact"));
    if (op == HkpOp.STATS) {
      return new HkpRequest(op, null, mr, nm, fpr, exact);
    }
    String search = first(params, "search");
    if (search == null || search.isBlank()) {
      throw PkiException.malformed("missing parameter search");
    }
    if (op == HkpOp.HGET) {
      String hash = search.strip();
      if (!SksKeyHash.isHash(hash)) {
        throw PkiException.malformed("op=hget needs an SKS key hash: %d hex digits, not '%s'",
            SksKeyHash.HEX_LENGTH, HkpOp.clip(hash));
      }
      return new HkpRequest(op, new KeyQuery.ByHash(hash, false), mr, nm, fpr, exact);
    }
    return new HkpRequest(op, query(search.strip(), exact), mr, nm, fpr, exact);
  }

  /** The query a {@code search} value denotes (HKP draft §3.1.1). */
  static KeyQuery query(String s, boolean exact) {
    boolean prefixed = s.startsWith("0x") || s.startsWith("0X");
    String hex = prefixed ? s.substring(2) : s;
    if (Hex.isHex(hex) && (prefixed || hex.length() == 40 || hex.length() == 64
        || hex.length() == 16)) {
      switch (hex.length()) {
        case 8:
          return new KeyQuery.ByShortKeyId(Long.parseLong(hex, 16));
        case 16:
          return new KeyQuery.ByKeyId(KeyId.parse(hex));
        case 40:
        case 64:
          return new KeyQuery.ByFingerprint(Fingerprint.parse(hex));
        case 32:
          throw PkiException.unsupported("v3 (MD5) fingerprints are not supported");
        default:
          throw PkiException.malformed("0x%s is no key ID or fingerprint: use 8, 16, 40 or 64 "
              + "hex digits", HkpOp.clip(hex));
      }
    }
    if (prefixed && !Hex.isHex(hex)) {
      throw PkiException.malformed("'%s' is not hexadecimal", HkpOp.clip(s));
    }
    String text = s;
    if (text.startsWith("<") && text.endsWith(">") && text.length() > 2) {
      text = text.substring(1, text.length() - 1);
      exact = true;
    }
    String email = KeyIndexer.email(text);
    if (email != null && email.equals(text.toLowerCase(Locale.ROOT))) {
      // A bare address: gpg sends it for --locate-keys (exact=on) and for --search-keys.
      return new KeyQuery.ByEmail(email);
    }
    if (!exact && text.length() < MIN_TEXT) {
      throw PkiException.malformed("search text must have at least %d characters", MIN_TEXT);
    }
    return new KeyQuery.ByUserId(text, exact);
  }

  private static boolean on(String v) {
    return v != null && v.strip().equalsIgnoreCase("on");
  }

  private static String first(Map<String, List<String>> params, String name) {
    List<String> v = params.get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }
}
