package org.keyhaven.keyserver;

import org.keyhaven.keyserver.openpgp.PgpLimits;

/**
 * The keyserver's abuse limits and serving policy (CVE-2019-13050 mitigations).
 *
 * @param limits per-packet and per-key limits applied while reading
 * @param maxUploadBytes largest upload accepted by {@link KeySubmission#submit(byte[])}
 * @param maxKeyBytes largest first-party key material stored per key
 * @param maxCertificationsPerUserId verified third-party certifications kept per user ID (newest)
 * @param maxHeldPerUserId unverified third-party signatures held per user ID until their issuer
 *     arrives (newest)
 * @param serveThirdParty whether HKP answers include the kept third-party certifications
 * @param maxSearchResults most keys one lookup returns
 */
public record KeyserverPolicy(
    PgpLimits limits,
    int maxUploadBytes,
    int maxKeyBytes,
    int maxCertificationsPerUserId,
    int maxHeldPerUserId,
    boolean serveThirdParty,
    int maxSearchResults) {

  /** Defaults: 8 MiB uploads, 1 MiB keys, 100 certifications and 100 held per user ID. */
  public static KeyserverPolicy defaults() {
    return new KeyserverPolicy(PgpLimits.defaults(), 8 * 1024 * 1024, 1024 * 1024, 100, 100, true,
        100);
  }

  public KeyserverPolicy withServeThirdParty(boolean serve) {
    return new KeyserverPolicy(limits, maxUploadBytes, maxKeyBytes, maxCertificationsPerUserId,
        maxHeldPerUserId, serve, maxSearchResults);
  }
}
