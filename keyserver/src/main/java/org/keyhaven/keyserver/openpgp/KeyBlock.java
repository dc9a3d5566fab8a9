package org.keyhaven.keyserver.openpgp;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.keyhaven.keyserver.Fingerprint;

/**
 * One transferable public key as read (RFC 9580 §10.1), before verification: the primary key,
 * its direct signatures, user IDs and subkeys, each with the signatures that followed it.
 */
public final class KeyBlock implements PgpKeyReader.Item {

  /** A user ID, user attribute or subkey packet and the signatures that followed it. */
  public record Component(Packet packet, List<Sig> selfSigs, List<Sig> otherSigs) {}

  final Packet primary;
  final PGPPublicKey primaryKey;
  final Fingerprint fingerprint;
  final List<Sig> directSigs = new ArrayList<>();
  final List<Component> userIds = new ArrayList<>();
  final List<Component> subkeys = new ArrayList<>();
  /** Third-party signatures beyond the per-user-ID candidate cap, dropped while reading. */
  int droppedThirdParty;

  KeyBlock(Packet primary, PGPPublicKey primaryKey) {
    this.primary = primary;
    this.primaryKey = primaryKey;
    this.fingerprint = Fingerprint.of(primaryKey.getFingerprint());
  }

  public Fingerprint fingerprint() {
    return fingerprint;
  }

  public int userIdCount() {
    return userIds.size();
  }

  public int droppedThirdParty() {
    return droppedThirdParty;
  }

  /** Third-party signatures on user IDs, as read. */
  public int thirdPartyCount() {
    return userIds.stream().mapToInt(c -> c.otherSigs().size()).sum();
  }
}
