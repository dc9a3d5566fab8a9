package org.keyhaven.keyserver.hkp;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.keyhaven.keyserver.KeyIndex;
import org.keyhaven.keyserver.KeyIndex.IndexedUserId;
import org.keyhaven.keyserver.StoredKeyring;

/**
 * The machine-readable index ({@code options=mr}, HKP draft §5.2, GnuPG doc/KEYSERVER):
 * {@code info:1:N}, then per key {@code pub:<fpr>:<algo>:<bits>:<created>:<expires>:<flags>} and
 * {@code uid:<escaped>:<created>:<expires>:<flags>}. Flags: r revoked, e expired. LF endings.
 */
public final class HkpIndexWriter {
  private HkpIndexWriter() {}

  public static String write(List<StoredKeyring> keys, Instant now) {
    StringBuilder sb = new StringBuilder();
    sb.append("info:1:").append(keys.size()).append('\n');
    for (StoredKeyring k : keys) {
      KeyIndex ix = k.index();
      sb.append("pub:").append(k.fingerprint().upperHex()).append(':').append(ix.algorithm())
          .append(':').append(ix.bits()).append(':').append(epoch(ix.created())).append(':')
          .append(epoch(ix.expires())).append(':')
          .append(flags(ix.revoked(), ix.expiredAt(now))).append('\n');
      for (IndexedUserId u : ix.userIds()) {
        if (u.attribute()) {
          continue; // photo IDs have no text; SKS's placeholder line helps no client
        }
        sb.append("uid:").append(escape(u.text())).append(':').append(epoch(u.created()))
            .append(':').append(epoch(u.expires())).append(':')
            .append(flags(u.revoked(), u.expires() != null && !u.expires().isAfter(now)))
            .append('\n');
      }
    }
    return sb.toString();
  }

  private static String flags(boolean revoked, boolean expired) {
    return (revoked ? "r" : "") + (expired ? "e" : "");
  }

  private static String epoch(Instant t) {
    return t == null ? "" : Long.toString(t.getEpochSecond());
  }

  /** %-escapes ':' and '%', control characters and every non-ASCII byte of the UTF-8 form. */
  public static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x20 || c > 0x7e || c == ':' || c == '%') {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      } else {
        sb.append((char) c);
      }
    }
    return sb.toString();
  }
}
