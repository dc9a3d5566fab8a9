package org.keyhaven.keyserver.store;

import java.util.List;
import org.keyhaven.keyserver.StoredKeyring;

/**
 * Everything that changes when one key is saved, written in one transaction: the key and its
 * index, its self-certifications, and the complete set of third-party signatures on it (which
 * replaces the stored set).
 */
public record KeyringWrite(
    StoredKeyring keyring,
    List<Certification> selfCertifications,
    List<ThirdPartySignature> thirdParty) {

  public KeyringWrite {
    selfCertifications = List.copyOf(selfCertifications);
    thirdParty = List.copyOf(thirdParty);
  }
}
