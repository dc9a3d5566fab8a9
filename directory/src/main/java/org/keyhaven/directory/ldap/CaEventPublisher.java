package org.keyhaven.directory.ldap;

import java.util.List;
import org.keyhaven.ca.publish.CertificatePublisher;
import org.keyhaven.ca.publish.PublicationEvent;
import org.keyhaven.directory.DirectoryPublisher;

/**
 * Implements the CA's publication port on a {@link DirectoryPublisher}. A CRL event also withdraws
 * every certificate it lists, so revocation reaches the directory through the CRL the revocation
 * itself triggers; {@code revokedLookup} maps (CA id, serial hex) to the certificate's DER.
 */
public final class CaEventPublisher implements CertificatePublisher {
  /** Finds the DER of a certificate by issuing CA id and lower-case hex serial, or null. */
  public interface CertificateLookup {
    byte[] find(String caId, String serialHex);
  }

  private final DirectoryPublisher directory;
  private final CertificateLookup lookup;

  public CaEventPublisher(DirectoryPublisher directory, CertificateLookup lookup) {
    this.directory = directory;
    this.lookup = lookup;
  }

  @Override
  public void publish(PublicationEvent event) {
    byte[] der = event.der().toByteArray();
    switch (event.kind()) {
      case END_ENTITY_CERTIFICATE -> directory.publishCertificate(der);
      case CA_CERTIFICATE -> directory.publishCaCertificate(der);
      case CRL -> {
        List<String> revoked = directory.publishCrl(der);
        for (String serial : revoked) {
          byte[] cert = lookup.find(event.caId(), serial);
          if (cert != null) {
            directory.withdrawCertificate(cert);
          }
        }
      }
      default -> throw new IllegalStateException("unhandled kind " + event.kind());
    }
  }

}
