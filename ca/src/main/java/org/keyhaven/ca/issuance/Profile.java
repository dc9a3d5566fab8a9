package org.keyhaven.ca.issuance;

import java.time.Duration;
import java.util.Locale;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.keyhaven.common.PkiException;

/** End-entity certificate profiles, named as on the wire. */
public enum Profile {
  SMIME_SIGN("smime-sign", 365, 825, KeyPurposeId.id_kp_emailProtection),
  SMIME_ENCRYPT("smime-encrypt", 365, 825, KeyPurposeId.id_kp_emailProtection),
  SMIME_DUAL("smime-dual", 365, 825, KeyPurposeId.id_kp_emailProtection),
  // BR §6.3.2: 200 days for certificates issued from 2026-03-15; we stay one day short.
  TLS_SERVER("tls-server", 199, 199, KeyPurposeId.id_kp_serverAuth),
  OCSP_RESPONDER("ocsp-responder", 30, 90, KeyPurposeId.id_kp_OCSPSigning);

  private final String wireName;
  private final int defaultDays;
  private final int maxDays;
  private final KeyPurposeId eku;

  Profile(String wireName, int defaultDays, int maxDays, KeyPurposeId eku) {
    this.wireName = wireName;
    this.defaultDays = defaultDays;
    this.maxDays = maxDays;
    this.eku = eku;
  }

  public String wireName() {
    return wireName;
  }

  public boolean isSmime() {
    return this == SMIME_SIGN || this == SMIME_ENCRYPT || this == SMIME_DUAL;
  }

  public KeyPurposeId extendedKeyUsage() {
    return eku;
  }

  public int maxDays() {
    return maxDays;
  }

  /**
   * The validity asked for, or the default. Validity counts both ends inclusively (RFC 5280
   * §4.1.2.5), so {@code days} days end one second before {@code notBefore + days}.
   */
  public Duration validity(Integer requestedDays) {
    int days = requestedDays == null ? defaultDays : requestedDays;
    if (days < 1 || days > maxDays) {
      throw PkiException.policy(
          "rule profile-validity: profile %s allows 1 to %d days, %d were requested",
          wireName, maxDays, days);
    }
    return Duration.ofDays(days).minusSeconds(1);
  }

  /**
   * The keyUsage bits for {@code key} under this profile (SBR §7.1.2.3(e); BR §7.1.2.7.11).
   *
   * @throws org.keyhaven.common.PkiException POLICY_VIOLATION when the key type cannot serve the
   *     profile
   */
  public int keyUsage(SubjectKey key) {
    switch (this) {
      case SMIME_SIGN:
        return KeyUsage.digitalSignature | KeyUsage.nonRepudiation;
      case SMIME_ENCRYPT:
        requireNot(key, SubjectKey.Type.ED25519, "Ed25519 keys can only sign");
        return key.isRsa() ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement;
      case SMIME_DUAL:
        requireNot(key, SubjectKey.Type.ED25519, "Ed25519 keys can only sign");
        return KeyUsage.digitalSignature
            | KeyUsage.nonRepudiation
            | (key.isRsa() ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
      case TLS_SERVER:
        // BR §6.1.5: no EdDSA for TLS server certificates.
        requireNot(key, SubjectKey.Type.ED25519, "tls-server does not allow Ed25519 keys");
        return key.isRsa()
            ? KeyUsage.digitalSignature | KeyUsage.keyEncipherment
            : KeyUsage.digitalSignature;
      default:
        return KeyUsage.digitalSignature;
    }
  }

  private void requireNot(SubjectKey key, SubjectKey.Type type, String why) {
    if (key.type() == type) {
      throw PkiException.policy("rule profile-key-type: profile %s: %s", wireName, why);
    }
  }

  public static Profile fromWire(String name) {
    if (name != null) {
      String n = name.toLowerCase(Locale.ROOT);
      for (Profile p : values()) {
        if (p.wireName.equals(n)) {
          return p;
        }
      }
    }
    throw PkiException.malformed(
        "unknown profile '%s' (expected smime-sign, smime-encrypt, smime-dual, tls-server or"
            + " ocsp-responder)", name);
  }
}
