package org.keyhaven.ca.policy;

import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.keyhaven.ca.issuance.Profile;
import org.keyhaven.common.PkiException;

/**
 * What a CSR asks for beyond the profile is refused, not silently dropped: unknown extensions, key
 * usages or EKUs the profile does not grant, and {@code cA=true}.
 */
public final class ExtensionValidators {
  private static final Set<ASN1ObjectIdentifier> UNDERSTOOD = Set.of(
      Extension.subjectAlternativeName, Extension.keyUsage, Extension.extendedKeyUsage,
      Extension.basicConstraints, Extension.subjectKeyIdentifier);

  private ExtensionValidators() {}

  public static CertificateValidator requestedExtensions() {
    return (req, issuer) -> {
      if (req.requestedExtensions() == null) {
        return;
      }
      Profile p = req.profile();
      for (ASN1ObjectIdentifier oid : req.requestedExtensions().getExtensionOIDs()) {
        if (!UNDERSTOOD.contains(oid)) {
          throw Rules.refuse(Rules.PROFILE_EXTENSIONS,
              "the CSR requests extension %s, which profile %s does not allow", oid.getId(),
              p.wireName());
        }
      }
      req.requested(Extension.basicConstraints).ifPresent(e -> {
        if (decode(() -> BasicConstraints.getInstance(e.getParsedValue()).isCA())) {
          throw Rules.refuse(Rules.PROFILE_EXTENSIONS,
              "the CSR requests cA=true; end-entity profiles cannot issue CA certificates");
        }
      });
      req.requested(Extension.keyUsage).ifPresent(e -> {
        KeyUsage asked = decode(() -> KeyUsage.getInstance(e.getParsedValue()));
        int granted = p.keyUsage(req.key());
        if (!grants(granted, asked)) {
          throw Rules.refuse(Rules.PROFILE_EXTENSIONS,
              "the CSR requests key usages that profile %s does not grant", p.wireName());
        }
      });
      req.requested(Extension.extendedKeyUsage).ifPresent(e -> {
        ExtendedKeyUsage eku = decode(() -> ExtendedKeyUsage.getInstance(e.getParsedValue()));
        for (KeyPurposeId id : eku.getUsages()) {
          if (!id.equals(p.extendedKeyUsage())) {
            throw Rules.refuse(Rules.PROFILE_EXTENSIONS,
                "the CSR requests extended key usage %s, which profile %s does not grant",
                id.toOID().getId(), p.wireName());
          }
        }
      });
    };
  }

  /** KeyUsage bits are 1 << 7 (digitalSignature) down to 1 << 0, and 1 << 15 (decipherOnly). */
  private static boolean grants(int granted, KeyUsage asked) {
    for (int bit : new int[] {1 << 7, 1 << 6, 1 << 5, 1 << 4, 1 << 3, 1 << 2, 1 << 1, 1, 1 << 15}) {
      if (asked.hasUsages(bit) && (granted & bit) == 0) {
        return false;
      }
    }
    return true;
  }

  private interface Decode<T> {
    T get() throws Exception;
  }

  private static <T> T decode(Decode<T> d) {
    try {
      return d.get();
    } catch (Exception e) {
      throw PkiException.malformed("CSR extensionRequest contains an invalid extension value");
    }
  }
}
