package org.keyhaven.keyserver.wot.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.store.CertificationStore;
import org.keyhaven.keyserver.store.KeyStatus;
import org.keyhaven.keyserver.wot.Certification;
import org.keyhaven.keyserver.wot.Network;
import org.keyhaven.keyserver.wot.NetworkBuilder;
import org.keyhaven.keyserver.wot.Node;
import org.keyhaven.keyserver.wot.UserIdState;

/**
 * Builds a {@link Network} from the verified certifications in a {@link CertificationStore}.
 * Self-certifications give each user ID's state (revoked when the owner's newest self-signature on
 * it is a revocation; expired with its newest self-certification); {@link KeyStatus} gives key
 * creation, expiry and revocation. Third-party signatures become {@link Certification}s.
 */
public final class StoreNetworkLoader {

  private StoreNetworkLoader() {}

  private static final class UidState {
    org.keyhaven.keyserver.store.Certification selfCert;
    org.keyhaven.keyserver.store.Certification selfRevocation;
  }

  /** Reads the whole store once. */
  public static Network load(CertificationStore store) {
    Map<Fingerprint, Map<String, UidState>> keys = new LinkedHashMap<>();
    List<org.keyhaven.keyserver.store.Certification> thirdParty = new ArrayList<>();
    store.forEachCertification(c -> {
      if (!c.selfSignature()) {
        thirdParty.add(c);
        return;
      }
      UidState s = keys.computeIfAbsent(c.target(), k -> new LinkedHashMap<>())
          .computeIfAbsent(c.userId(), u -> new UidState());
      if (c.revocation()) {
        s.selfRevocation = newer(s.selfRevocation, c);
      } else if (c.signatureType() >= 0x10 && c.signatureType() <= 0x13) {
        s.selfCert = newer(s.selfCert, c);
      }
    });
    NetworkBuilder b = new NetworkBuilder();
    // One bulk read, not one keyring per key: at 100,000 keys the per-key reads took minutes.
    Map<Fingerprint, KeyStatus> statuses = store.keyStatuses(keys.keySet());
    for (Map.Entry<Fingerprint, Map<String, UidState>> e : keys.entrySet()) {
      KeyStatus status = statuses.get(e.getKey());
      if (status == null) {
        continue;
      }
      List<UserIdState> ids = new ArrayList<>();
      for (Map.Entry<String, UidState> u : e.getValue().entrySet()) {
        UidState s = u.getValue();
        if (s.selfCert == null) {
          continue; // no valid self-certification: the user ID does not exist
        }
        Instant revoked = s.selfRevocation != null
            && !s.selfRevocation.created().isBefore(s.selfCert.created())
            ? s.selfRevocation.created() : null;
        ids.add(new UserIdState(u.getKey(), revoked, s.selfCert.expires()));
      }
      if (ids.isEmpty()) {
        continue;
      }
      // the store records only that a key is revoked, not when: treat it as revoked from creation
      Instant revokedAt = status.revoked() ? status.created() : null;
      b.addNode(new Node(status.fingerprint().upperHex(), status.created(), status.expires(),
          revokedAt, true, ids));
    }
    for (org.keyhaven.keyserver.store.Certification c : thirdParty) {
      int type = c.signatureType();
      if (!c.revocation() && (type < 0x10 || type > 0x13)) {
        continue;
      }
      b.addCertification(new Certification(c.issuer().upperHex(), c.target().upperHex(),
          c.userId(), c.created(), c.expires(),
          c.revocation() ? Certification.Kind.REVOCATION : Certification.Kind.CERTIFICATION,
          c.revocation() ? 0 : c.level(), true, trust(c)));
    }
    return b.build();
  }

  private static org.keyhaven.keyserver.wot.TrustSignature trust(
      org.keyhaven.keyserver.store.Certification c) {
    if (!c.isTrustSignature()) {
      return null;
    }
    return new org.keyhaven.keyserver.wot.TrustSignature(c.trustDepth(), c.trustAmount(),
        c.trustRegex());
  }

  private static org.keyhaven.keyserver.store.Certification newer(
      org.keyhaven.keyserver.store.Certification a, org.keyhaven.keyserver.store.Certification b) {
    return a == null || !b.created().isBefore(a.created()) ? b : a;
  }
}
