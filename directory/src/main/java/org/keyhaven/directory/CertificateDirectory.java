package org.keyhaven.directory;

import java.util.List;

/** Lookups over the published directory, as a mail client makes them (by mailbox). */
public interface CertificateDirectory {
  /** DER certificates published for {@code mailbox} (case-insensitive), possibly none. */
  List<byte[]> certificatesFor(String mailbox);
}
