package org.keyhaven.keyserver.hkp;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.keyhaven.keyserver.KeyIndex;
import org.keyhaven.keyserver.KeyIndex.IndexedUserId;
import org.keyhaven.keyserver.StoredKeyring;

/** Human-readable HKP answers (no {@code options=mr}): small HTML pages in the SKS layout. */
public final class HkpHtmlWriter {
  private static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

  private HkpHtmlWriter() {}

  public static String index(String search, List<StoredKeyring> keys, Instant now) {
    return index(search, keys, now, fpr -> null);
  }

  /**
   * The human-readable index; {@code validity} gives each key's web-of-trust validity from the
   * server's trust root (upper-case fingerprint in, word out; null to show none).
   */
  public static String index(String search, List<StoredKeyring> keys, Instant now,
      java.util.function.Function<String, String> validity) {
    return index(search, keys, now, validity, null);
  }

  /**
   * As above; with {@code sksHash} (SKS's {@code hash=on}) each key also shows its SKS key hash
   * as a link to {@code op=hget}, in SKS's words ("Hash=").
   */
  public static String index(String search, List<StoredKeyring> keys, Instant now,
      java.util.function.Function<String, String> validity,
      java.util.function.Function<StoredKeyring, String> sksHash) {
    StringBuilder sb = page("Search results for '" + search + "'");
    sb.append("<pre>\nType bits/keyID            cr. time   exp time   key expir\n</pre>");
    for (StoredKeyring k : keys) {
      KeyIndex ix = k.index();
      String fpr = k.fingerprint().upperHex();
      sb.append("<hr /><pre>\npub  ").append(ix.bits()).append('/')
          .append("<a href=\"/pks/lookup?op=get&amp;search=0x").append(fpr).append("\">")
          .append(fpr).append("</a> ").append(DATE.format(ix.created()));
      if (ix.revoked()) {
        sb.append(" *** KEY REVOKED ***");
      } else if (ix.expiredAt(now)) {
        sb.append(" *** KEY EXPIRED ***");
      }
      String v = validity.apply(fpr);
      if (v != null) {
        sb.append(" [validity: ").append(html(v)).append(']');
      }
      sb.append('\n');
      if (sksHash != null) {
        String h = sksHash.apply(k);
        sb.append("\t Hash=<a href=\"/pks/lookup?op=hget&amp;search=").append(h).append("\">")
            .append(h).append("</a>\n");
      }
      for (IndexedUserId u : ix.userIds()) {
        sb.append("uid  ").append(html(u.text())).append(u.revoked() ? " (revoked)" : "")
            .append('\n');
      }
      sb.append("</pre>");
    }
    return sb.append("</body></html>\n").toString();
  }

  public static String armoredKeys(String search, String armored) {
    return page("Public key for '" + search + "'").append("<pre>\n").append(html(armored))
        .append("</pre></body></html>\n").toString();
  }

  public static String stats(long keys, String software) {
    return page("Keyserver statistics").append("<pre>\nSoftware: ").append(html(software))
        .append("\nTotal number of keys: ").append(keys).append("\n</pre></body></html>\n")
        .toString();
  }

  private static StringBuilder page(String title) {
    return new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
        .append(html(title)).append("</title></head><body><h1>").append(html(title))
        .append("</h1>");
  }

  static String html(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
