package org.keyhaven.directory.ldap;

import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAbsentContent;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.keyhaven.common.PkiException;

/** The value of {@code userSMIMECertificate}: a certs-only PKCS#7 SignedData (RFC 2798, 5652). */
final class SmimeBundle {
  private SmimeBundle() {}

  /**
   * DER-encoded SignedData with no content and no signers holding {@code certificates}. DER (a
   * sorted SET) makes the value a function of the set of certificates, so re-publishing the same
   * certificates writes nothing.
   */
  static byte[] certsOnly(List<byte[]> certificates) {
    try {
      List<X509CertificateHolder> holders = new ArrayList<>();
      for (byte[] der : certificates) {
        holders.add(new X509CertificateHolder(der));
      }
      CMSSignedDataGenerator g = new CMSSignedDataGenerator();
      g.addCertificates(new org.bouncycastle.util.CollectionStore<>(holders));
      CMSSignedData signed = g.generate(new CMSAbsentContent(), false);
      return signed.toASN1Structure().getEncoded("DER");
    } catch (Exception e) {
      throw PkiException.internal(e, "cannot encode the PKCS#7 certificate bundle");
    }
  }
}
