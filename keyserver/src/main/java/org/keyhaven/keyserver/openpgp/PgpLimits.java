package org.keyhaven.keyserver.openpgp;

/**
 * Size and count limits applied while reading keys, in the spirit of Hockeypuck's
 * {@code maxPacketLength}/{@code maxKeyLength}; caps on signatures keep the newest.
 *
 * @param maxKeyPacketBytes largest public key or subkey packet
 * @param maxUserIdBytes largest user ID packet
 * @param maxUserAttributeBytes largest user attribute (photo) packet
 * @param maxSignatureBytes largest signature packet
 * @param maxUserIds most user IDs and attributes per key
 * @param maxSubkeys most subkeys per key
 * @param maxSelfSigsPerComponent self-signatures kept per user ID, subkey or the key itself
 * @param maxCandidatesPerUserId third-party signatures per user ID considered in one upload;
 *     beyond it the oldest are dropped while reading, so memory stays bounded
 */
public record PgpLimits(
    int maxKeyPacketBytes,
    int maxUserIdBytes,
    int maxUserAttributeBytes,
    int maxSignatureBytes,
    int maxUserIds,
    int maxSubkeys,
    int maxSelfSigsPerComponent,
    int maxCandidatesPerUserId) {

  /** Defaults: 16 KiB key packets, 2 KiB user IDs, 64 KiB photos, 16 KiB signatures. */
  public static PgpLimits defaults() {
    return new PgpLimits(16 * 1024, 2048, 64 * 1024, 16 * 1024, 100, 100, 64, 200_000);
  }

  /** The largest packet of any kind; bigger ones stop reading altogether. */
  int hardMaxPacket() {
    return Math.max(Math.max(maxKeyPacketBytes, maxUserAttributeBytes),
        Math.max(maxUserIdBytes, maxSignatureBytes));
  }
}
