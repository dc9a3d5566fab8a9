package org.keyhaven.recipients;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.common.PkiException;

/** What an X.509 certificate may be used for in S/MIME, read from its extensions. */
record SmimeUsage(boolean encrypt, boolean sign, boolean emailProtection, List<String> mailboxes) {

  static SmimeUsage of(byte[] der) {
    X509CertificateHolder cert;
    try {
      cert = new X509CertificateHolder(der);
    } catch (IOException | RuntimeException e) {
      throw PkiException.internal(e, "stored certificate does not decode");
    }
    KeyUsage ku = KeyUsage.fromExtensions(cert.getExtensions());
    boolean encrypt = ku == null || ku.hasUsages(KeyUsage.keyEncipherment) || ku.hasUsages(KeyUsage.keyAgreement);
    boolean sign = ku == null || ku.hasUsages(KeyUsage.digitalSignature) || ku.hasUsages(KeyUsage.nonRepudiation);
    ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(cert.getExtensions());
    boolean email = eku == null || eku.hasKeyPurposeId(KeyPurposeId.id_kp_emailProtection)
        || eku.hasKeyPurposeId(KeyPurposeId.anyExtendedKeyUsage);
    List<String> boxes = new ArrayList<>();
    GeneralNames san = GeneralNames.fromExtensions(cert.getExtensions(), Extension.subjectAlternativeName);
    if (san != null) {
      for (GeneralName n : san.getNames()) {
        if (n.getTagNo() == GeneralName.rfc822Name) {
          boxes.add(n.getName().toString().toLowerCase(Locale.ROOT));
        }
      }
    }
    return new SmimeUsage(encrypt, sign, email, List.copyOf(boxes));
  }

  List<String> usages() {
    List<String> u = new ArrayList<>();
    if (encrypt) {
      u.add("encrypt");
    }
    if (sign) {
      u.add("sign");
    }
    return u;
  }
}
