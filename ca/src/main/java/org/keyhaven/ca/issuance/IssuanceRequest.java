package org.keyhaven.ca.issuance;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;
import org.keyhaven.ca.keys.BcProvider;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/**
 * A decoded, signature-checked request for an end-entity certificate: the subject, key, names and
 * extensions the requester asked for, not yet judged by policy.
 *
 * @param emails mailboxes from the CSR's subjectAltName (rfc822Name and SmtpUTF8Mailbox, RFC 8398),
 *     domain lower-cased
 * @param requestedExtensions the CSR's extensionRequest, or null; policy refuses what the profile
 *     forbids rather than dropping it
 */
public record IssuanceRequest(
    X500Name subject,
    SubjectPublicKeyInfo publicKey,
    SubjectKey key,
    List<String> emails,
    List<String> dnsNames,
    Profile profile,
    Integer validityDays,
    Extensions requestedExtensions,
    Bytes csr) {

  /** Bigger than any real CSR (an RSA-4096 CSR with many SANs is a few KiB). */
  public static final int MAX_CSR_CHARS = 64 * 1024;

  /** RFC 8398 §3: id-on-SmtpUTF8Mailbox. */
  public static final ASN1ObjectIdentifier SMTP_UTF8_MAILBOX =
      new ASN1ObjectIdentifier("1.3.6.1.5.5.7.8.9");

  public IssuanceRequest {
    emails = List.copyOf(emails);
    dnsNames = List.copyOf(dnsNames);
  }

  /**
   * Decodes a PEM CSR and verifies its self-signature (proof of possession). Total: every failure
   * is one MALFORMED (or UNSUPPORTED for a key type we do not certify) naming the problem.
   */
  public static IssuanceRequest fromCsr(String pem, Profile profile, Integer validityDays) {
    if (pem == null || pem.isBlank()) {
      throw PkiException.malformed("csr is missing");
    }
    if (pem.length() > MAX_CSR_CHARS) {
      throw PkiException.tooLarge("CSR is larger than %d characters", MAX_CSR_CHARS);
    }
    byte[] der = pemBody(pem);
    PKCS10CertificationRequest csr;
    try {
      csr = new PKCS10CertificationRequest(der);
    } catch (Exception e) {
      throw PkiException.malformed("CSR is not a valid PKCS#10 request");
    }
    return fromDecoded(csr, der, profile, validityDays);
  }

  /**
   * Decodes a PEM CSR of a CA (cross-certification) and verifies its signature; only its subject
   * and key are used. Total like {@link #fromCsr}.
   */
  public static PKCS10CertificationRequest decodeCsr(String pem) {
    if (pem.length() > MAX_CSR_CHARS) {
      throw PkiException.tooLarge("CSR is larger than %d characters", MAX_CSR_CHARS);
    }
    PKCS10CertificationRequest csr;
    try {
      csr = new PKCS10CertificationRequest(pemBody(pem));
      if (!csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
          .setProvider(BcProvider.INSTANCE).build(csr.getSubjectPublicKeyInfo()))) {
        throw PkiException.malformed("CSR signature does not verify (no proof of possession)");
      }
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.malformed("CSR is not a valid PKCS#10 request");
    }
    return csr;
  }

  private static IssuanceRequest fromDecoded(
      PKCS10CertificationRequest csr, byte[] der, Profile profile, Integer validityDays) {
    SubjectPublicKeyInfo spki;
    SubjectKey key;
    try {
      spki = csr.getSubjectPublicKeyInfo();
      key = SubjectKey.of(spki);
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.malformed("CSR public key cannot be decoded");
    }
    if (!signatureVerifies(csr, spki, key)) {
      throw PkiException.malformed("CSR signature does not verify (no proof of possession)");
    }
    Extensions ext = requestedExtensions(csr);
    List<String> emails = new ArrayList<>();
    List<String> dns = new ArrayList<>();
    if (ext != null && ext.getExtension(Extension.subjectAlternativeName) != null) {
      readNames(ext, emails, dns);
    }
    return new IssuanceRequest(csr.getSubject(), spki, key, emails, dns, profile, validityDays,
        ext, Bytes.copyOf(der));
  }

  /** ECDSA signature algorithms whose CSRs are checked with BouncyCastle's lightweight API. */
  private static final Set<ASN1ObjectIdentifier> ECDSA = Set.of(
      X9ObjectIdentifiers.ecdsa_with_SHA256, X9ObjectIdentifiers.ecdsa_with_SHA384,
      X9ObjectIdentifiers.ecdsa_with_SHA512);

  private static final DefaultDigestAlgorithmIdentifierFinder DIGESTS =
      new DefaultDigestAlgorithmIdentifierFinder();

  /**
   * The proof of possession. An EC key signing with ECDSA-with-SHA-2 (nearly every CSR) is
   * checked with BouncyCastle's lightweight ECDSA on the curve's shared, precomputed domain
   * parameters: measured with bench/ca/crypto.sh that costs 0.27 ms of CPU per P-256 CSR, against
   * 0.47 ms through the JCA API with the BouncyCastle provider, which converts the key and its
   * domain parameters on every call. Every other key or algorithm takes the JCA path, which also
   * refuses a signature algorithm that does not match the key.
   */
  private static boolean signatureVerifies(
      PKCS10CertificationRequest csr, SubjectPublicKeyInfo spki, SubjectKey key) {
    try {
      ContentVerifierProvider verifier;
      if (key.isEc() && ECDSA.contains(csr.getSignatureAlgorithm().getAlgorithm())
          && csr.getSignatureAlgorithm().getParameters() == null) {
        verifier = new BcECContentVerifierProviderBuilder(DIGESTS)
            .build(PublicKeyFactory.createKey(spki));
      } else {
        verifier = new JcaContentVerifierProviderBuilder().setProvider(BcProvider.INSTANCE)
            .build(spki);
      }
      return csr.isSignatureValid(verifier);
    } catch (Exception e) {
      return false;
    }
  }

  private static byte[] pemBody(String pem) {
    try (PemReader r = new PemReader(new StringReader(pem))) {
      PemObject o = r.readPemObject();
      if (o == null
          || !(o.getType().equals("CERTIFICATE REQUEST")
              || o.getType().equals("NEW CERTIFICATE REQUEST"))) {
        throw PkiException.malformed("csr must be a PEM 'CERTIFICATE REQUEST'");
      }
      return o.getContent();
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.malformed("csr is not valid PEM");
    }
  }

  private static Extensions requestedExtensions(PKCS10CertificationRequest csr) {
    try {
      var attrs = csr.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest);
      if (attrs.length == 0) {
        return null;
      }
      if (attrs.length > 1 || attrs[0].getAttrValues().size() != 1) {
        throw PkiException.malformed("CSR has more than one extensionRequest");
      }
      return Extensions.getInstance(attrs[0].getAttrValues().getObjectAt(0));
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.malformed("CSR extensionRequest is not valid DER");
    }
  }

  private static void readNames(Extensions ext, List<String> emails, List<String> dns) {
    GeneralNames names;
    try {
      names = GeneralNames.getInstance(ext.getExtension(Extension.subjectAlternativeName)
          .getParsedValue());
    } catch (Exception e) {
      throw PkiException.malformed("CSR subjectAltName is not valid DER");
    }
    for (GeneralName n : names.getNames()) {
      switch (n.getTagNo()) {
        case GeneralName.rfc822Name:
          emails.add(Mailbox.normalise(((ASN1IA5String) n.getName()).getString(), false));
          break;
        case GeneralName.dNSName:
          dns.add(DnsNames.normalise(((ASN1IA5String) n.getName()).getString()));
          break;
        case GeneralName.otherName:
          emails.add(Mailbox.normalise(smtpUtf8Mailbox(n), true));
          break;
        default:
          throw PkiException.policy(
              "rule profile-names: subjectAltName of type %d is not allowed", n.getTagNo());
      }
    }
  }

  private static String smtpUtf8Mailbox(GeneralName n) {
    try {
      ASN1Sequence seq = ASN1Sequence.getInstance(n.getName());
      ASN1ObjectIdentifier type = ASN1ObjectIdentifier.getInstance(seq.getObjectAt(0));
      if (!type.equals(SMTP_UTF8_MAILBOX)) {
        throw PkiException.policy(
            "rule profile-names: otherName %s is not allowed (only SmtpUTF8Mailbox)", type);
      }
      ASN1Encodable value =
          ASN1TaggedObject.getInstance(seq.getObjectAt(1)).getExplicitBaseObject();
      return ((ASN1String) value).getString();
    } catch (PkiException e) {
      throw e;
    } catch (Exception e) {
      throw PkiException.malformed("CSR otherName is not a valid SmtpUTF8Mailbox");
    }
  }

  /** The requested extension {@code oid}, if the CSR asked for it. */
  public Optional<Extension> requested(ASN1ObjectIdentifier oid) {
    return Optional.ofNullable(
        requestedExtensions == null ? null : requestedExtensions.getExtension(oid));
  }

  /** Lower-case ASCII for logs and audit. */
  public String describe() {
    return profile.wireName() + " " + subject + " " + key.describe()
        + (emails.isEmpty() ? "" : " " + String.join(",", emails).toLowerCase(Locale.ROOT));
  }
}
