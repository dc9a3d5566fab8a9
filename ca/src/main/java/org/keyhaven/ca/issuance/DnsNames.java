package org.keyhaven.ca.issuance;

import java.net.IDN;
import java.util.Locale;
import org.keyhaven.common.PkiException;

/** Host name checks shared by mailbox domains and dNSName SANs. */
public final class DnsNames {
  private DnsNames() {}

  /**
   * Lower-cases and validates {@code name} as a host name in LDH form (A-labels); a trailing dot is
   * refused (the name-constraint bypass fixed in BouncyCastle 1.85).
   */
  public static String normalise(String name) {
    if (name == null || name.isEmpty() || name.endsWith(".") || name.startsWith(".")) {
      throw PkiException.malformed("'%s' is not a host name", name);
    }
    String ascii;
    try {
      ascii = IDN.toASCII(name, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw PkiException.malformed("'%s' is not a host name", name);
    }
    if (ascii.length() > 253 || !ascii.contains(".")) {
      throw PkiException.malformed("'%s' is not a fully qualified host name", name);
    }
    return IDN.toUnicode(ascii, IDN.USE_STD3_ASCII_RULES);
  }

  /** True if {@code host} equals {@code domain} or is below it (compared as A-labels). */
  public static boolean within(String host, String domain) {
    String h = IDN.toASCII(host).toLowerCase(Locale.ROOT);
    String d = IDN.toASCII(domain).toLowerCase(Locale.ROOT);
    return h.equals(d) || h.endsWith("." + d);
  }
}
