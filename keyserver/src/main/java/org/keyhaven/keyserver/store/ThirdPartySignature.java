package org.keyhaven.keyserver.store;

import java.time.Instant;
import org.keyhaven.common.Bytes;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyId;

/**
 * A third-party signature on a user ID of a stored key: either verified against its issuer's key,
 * or held until that key arrives (CVE-2019-13050 policy: nothing unverified is served).
 *
 * @param target the certified key
 * @param userIdPacket the certified user ID or attribute packet, encoded with its header
 * @param signaturePacket the signature packet, encoded with its header
 * @param issuerKeyId the issuer key ID named by the signature
 * @param created signature creation time
 * @param certification the verified certification, or null while held
 */
public record ThirdPartySignature(
    Fingerprint target,
    Bytes userIdPacket,
    Bytes signaturePacket,
    KeyId issuerKeyId,
    Instant created,
    Certification certification) {

  public boolean verified() {
    return certification != null;
  }
}
