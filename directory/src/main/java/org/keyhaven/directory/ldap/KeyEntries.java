package org.keyhaven.directory.ldap;

import com.unboundid.ldap.sdk.Attribute;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.bcpg.ArmoredOutputStream;
import org.keyhaven.common.PkiException;
import org.keyhaven.directory.PgpKeyFacts;

/** The pgpKeyInfo entry of one key, attribute by attribute as gpg 2.2 writes it (schema v2). */
final class KeyEntries {
  /** Attributes a key may lack; a republish clears them when they no longer apply. */
  static final List<String> OPTIONAL = List.of("pgpKeyExpireTime", "pgpKeyType", "pgpUserID",
      "gpgSubFingerprint", "gpgMailbox", "pgpSubKeyID", "pgpKeySize", "pgpKeyCreateTime");

  private static final DateTimeFormatter GENERALIZED =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private KeyEntries() {}

  static List<Attribute> attributes(PgpKeyFacts k) {
    List<Attribute> a = new ArrayList<>();
    a.add(new Attribute("objectClass", "top", "pgpKeyInfo"));
    a.add(new Attribute("pgpCertID", k.certId()));
    a.add(new Attribute("pgpKey", armor(k.keyring().toByteArray())));
    a.add(new Attribute("pgpKeyID", k.certId().substring(8)));
    a.add(new Attribute("gpgFingerprint", k.fingerprint().toUpperCase(Locale.ROOT)));
    a.add(new Attribute("pgpRevoked", k.revoked() ? "1" : "0"));
    a.add(new Attribute("pgpDisabled", "0"));
    a.add(new Attribute("pgpKeyCreateTime", GENERALIZED.format(k.created())));
    if (k.expires() != null) {
      a.add(new Attribute("pgpKeyExpireTime", GENERALIZED.format(k.expires())));
    }
    if (k.bits() > 0) {
      a.add(new Attribute("pgpKeySize", String.format("%05d", k.bits())));
    }
    String type = keyType(k.algorithm());
    if (type != null) {
      a.add(new Attribute("pgpKeyType", type));
    }
    if (!k.userIds().isEmpty()) {
      a.add(new Attribute("pgpUserID", k.userIds()));
    }
    if (!k.mailboxes().isEmpty()) {
      a.add(new Attribute("gpgMailbox", k.mailboxes()));
    }
    if (!k.subkeyFingerprints().isEmpty()) {
      a.add(new Attribute("gpgSubFingerprint", k.subkeyFingerprints().stream()
          .map(s -> s.toUpperCase(Locale.ROOT)).toList()));
    }
    if (!k.subkeyIds().isEmpty()) {
      a.add(new Attribute("pgpSubKeyID", k.subkeyIds().stream()
          .map(id -> String.format("%016X", id)).toList()));
    }
    return a;
  }

  /** gpg writes RSA or DSS/DH and nothing for other algorithms (RFC 4880 §9.1 numbers). */
  static String keyType(int algorithm) {
    return switch (algorithm) {
      case 1, 2, 3 -> "RSA";
      case 16, 17, 20 -> "DSS/DH";
      default -> null;
    };
  }

  /** pgpKey is IA5String: the ASCII-armored key block (RFC 4880 §6.2). */
  static String armor(byte[] keyring) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (ArmoredOutputStream armored = ArmoredOutputStream.builder().clearHeaders()
          .build(out)) {
        armored.write(keyring);
      }
      return out.toString(java.nio.charset.StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw PkiException.internal(e, "cannot armor an OpenPGP key");
    }
  }

  static Instant parseTime(String generalized) {
    return Instant.from(GENERALIZED.parse(generalized));
  }
}
