package org.keyhaven.ca.issuance;

import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;
import org.keyhaven.common.PkiException;

/**
 * Mailbox address rules for subjectAltName (RFC 5280 §4.2.1.6, RFC 8398): an ASCII local part goes
 * into rfc822Name with the domain as A-labels; a UTF-8 local part goes into SmtpUTF8Mailbox.
 */
public final class Mailbox {
  private static final Pattern ASCII_LOCAL = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+");
  private static final int MAX_LENGTH = 254;

  private Mailbox() {}

  /** Validates and normalises (domain lower-case, as Unicode for display). */
  static String normalise(String address, boolean utf8Allowed) {
    if (address == null || address.length() > MAX_LENGTH) {
      throw PkiException.malformed("email address is missing or too long");
    }
    int at = address.lastIndexOf('@');
    if (at <= 0 || at == address.length() - 1 || address.indexOf('@') != at) {
      throw PkiException.malformed("'%s' is not a mailbox address (local@domain)", address);
    }
    String local = address.substring(0, at);
    if (!utf8Allowed && !ASCII_LOCAL.matcher(local).matches()) {
      throw PkiException.malformed(
          "rfc822Name '%s' has characters outside ASCII; use SmtpUTF8Mailbox (RFC 8398)", address);
    }
    if (local.chars().anyMatch(c -> c <= 0x20 || c == '<' || c == '>' || c == '"')) {
      throw PkiException.malformed("'%s' is not a bare mailbox address", address);
    }
    String domain = DnsNames.normalise(address.substring(at + 1));
    return local + "@" + domain;
  }

  public static String domain(String mailbox) {
    return mailbox.substring(mailbox.lastIndexOf('@') + 1);
  }

  public static String localPart(String mailbox) {
    return mailbox.substring(0, mailbox.lastIndexOf('@'));
  }

  /** True if the local part is ASCII, so the address fits an rfc822Name. */
  public static boolean isAsciiLocal(String mailbox) {
    return StandardCharsets.US_ASCII.newEncoder().canEncode(localPart(mailbox));
  }

  /** The rfc822Name form: ASCII local part, A-label domain. */
  public static String toRfc822(String mailbox) {
    return localPart(mailbox) + "@" + IDN.toASCII(domain(mailbox), IDN.USE_STD3_ASCII_RULES);
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
