package org.keyhaven.ca.ocsp;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.Req;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/**
 * Turns request bytes into an {@link OcspRequest}. Total: any failure of the parser (BouncyCastle
 * throws several unchecked types on crafted input, and deep nesting overflows the stack) becomes
 * one MALFORMED, which the responder answers with malformedRequest.
 */
public final class OcspRequestDecoder {
  /** RFC 5019 requests are a few hundred bytes; anything near this is not a real client. */
  public static final int MAX_BYTES = 8 * 1024;
  /** requestList cap against amplification (reliability note, row 15). */
  public static final int MAX_CERT_IDS = 10;
  /** RFC 8954 §2.1: a nonce is 1 to 32 octets. */
  public static final int MAX_NONCE = 32;

  private OcspRequestDecoder() {}

  public static OcspRequest decode(byte[] der) {
    if (der == null || der.length == 0) {
      throw PkiException.malformed("OCSP request is empty");
    }
    if (der.length > MAX_BYTES) {
      throw PkiException.malformed("OCSP request is larger than %d bytes", MAX_BYTES);
    }
    try {
      OCSPReq req = new OCSPReq(der);
      Req[] list = req.getRequestList();
      if (list.length == 0) {
        throw PkiException.malformed("OCSP request asks about no certificate");
      }
      if (list.length > MAX_CERT_IDS) {
        throw PkiException.malformed("OCSP request asks about %d certificates; at most %d",
            list.length, MAX_CERT_IDS);
      }
      List<OcspRequest.CertId> ids = new ArrayList<>(list.length);
      for (Req r : list) {
        CertificateID id = r.getCertID();
        ids.add(new OcspRequest.CertId(id.getHashAlgOID().getId(),
            Bytes.copyOf(id.getIssuerNameHash()), Bytes.copyOf(id.getIssuerKeyHash()),
            id.getSerialNumber(), Bytes.copyOf(id.toASN1Primitive().getEncoded("DER"))));
      }
      return new OcspRequest(ids, nonce(req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)));
    } catch (PkiException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      throw PkiException.malformed("OCSP request is not valid DER: %s",
          String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable"));
    }
  }

  /**
   * RFC 8954 §2.1: Nonce ::= OCTET STRING (SIZE(1..32)) inside the extnValue. A nonce of 0 or more
   * than 32 octets makes the whole request malformed. (RFC 9654 later allows up to 128 octets; we
   * follow 8954 as our clients do.)
   */
  private static Optional<Bytes> nonce(Extension ext) throws java.io.IOException {
    if (ext == null) {
      return Optional.empty();
    }
    byte[] value = ext.getExtnValue().getOctets();
    int length;
    try {
      ASN1Primitive inner = ASN1Primitive.fromByteArray(value);
      length = ((ASN1OctetString) inner).getOctets().length;
    } catch (Exception e) {
      // Some old clients put the raw octets in extnValue; RFC 6960 §4.4.1 leaves it open.
      length = value.length;
    }
    if (length < 1 || length > MAX_NONCE) {
      throw PkiException.malformed("OCSP nonce has %d octets; RFC 8954 allows 1 to %d", length,
          MAX_NONCE);
    }
    return Optional.of(Bytes.copyOf(value));
  }
}
