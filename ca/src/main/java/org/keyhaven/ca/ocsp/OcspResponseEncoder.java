package org.keyhaven.ca.ocsp;

import static org.keyhaven.ca.der.Der.tlv;
import static org.keyhaven.ca.der.Der.wrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.crypto.CryptoServicesRegistrar;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jcajce.provider.asymmetric.util.ECUtil;
import org.keyhaven.common.Bytes;

/**
 * Writes a signed OCSPResponse (RFC 6960 §4.2.1) straight to DER for one delegated responder.
 * Everything that is the same in every answer of the responder — the ResponderID, the signature
 * algorithm, the certificates sent along — is encoded once, when the responder is first used;
 * an answer is then a few small TLVs, one SHA-256 and one ECDSA signature. This is the cost of
 * every request with a nonce, which cannot be pre-signed: BouncyCastle's response builder
 * re-encoded the whole certificate chain and went through the JCA signature stream byte by byte,
 * about as much work again as the signature itself.
 *
 * <p>The layout follows the RFC 5019 profile: ResponderID byKey, GeneralizedTime without
 * fractional seconds, version left at its DEFAULT (absent), nonce echoed in responseExtensions.
 */
final class OcspResponseEncoder {
  /** What an answer says about one certificate. */
  sealed interface Status permits Good, Revoked, Unknown {}

  record Good() implements Status {}

  /** @param reason an RFC 5280 CRLReason code, or -1 to leave it out (unspecified) */
  record Revoked(Instant at, int reason) implements Status {}

  record Unknown() implements Status {}

  /** @param certId the CertID DER exactly as the request carried it */
  record Single(Bytes certId, Status status) {}

  // ecdsa-with-SHA256, RFC 5758 §3.2: parameters absent.
  private static final byte[] ECDSA_SHA256 = {
      0x30, 0x0a, 0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
  // id-pkix-ocsp-basic, 1.3.6.1.5.5.7.48.1.1
  private static final byte[] OCSP_BASIC = {
      0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01};
  // id-pkix-ocsp-nonce, 1.3.6.1.5.5.7.48.1.2
  private static final byte[] OCSP_NONCE = {
      0x06, 0x09, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02};
  private static final byte[] GOOD = {(byte) 0x80, 0x00};
  private static final byte[] UNKNOWN = {(byte) 0x82, 0x00};
  private static final DateTimeFormatter GENERALIZED =
      DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

  private final DelegatedResponders.Responder responder;
  private final ECPrivateKeyParameters key;
  private final byte[] responderId;
  private final byte[] certs;

  private OcspResponseEncoder(DelegatedResponders.Responder responder,
      ECPrivateKeyParameters key) throws IOException {
    this.responder = responder;
    this.key = key;
    // ResponderID ::= byKey [2] EXPLICIT KeyHash; KeyHash is the SHA-1 of the subjectPublicKey
    // BIT STRING's value, without tag, length and unused-bits octet (RFC 6960 §4.2.1).
    byte[] publicKey = responder.certificate().getSubjectPublicKeyInfo().getPublicKeyData()
        .getBytes();
    SHA1Digest sha1 = new SHA1Digest();
    sha1.update(publicKey, 0, publicKey.length);
    byte[] keyHash = new byte[20];
    sha1.doFinal(keyHash, 0);
    this.responderId = wrap(0xa2, wrap(0x04, keyHash));
    // certs [0] EXPLICIT SEQUENCE OF Certificate: the responder's, then the CA chain.
    ByteArrayOutputStream all = new ByteArrayOutputStream(4096);
    all.write(responder.certificate().toASN1Structure().getEncoded(ASN1Encoding.DER));
    for (X509CertificateHolder c : responder.chain()) {
      all.write(c.toASN1Structure().getEncoded(ASN1Encoding.DER));
    }
    this.certs = wrap(0xa0, wrap(0x30, all.toByteArray()));
  }

  /**
   * An encoder for {@code responder}. Responder keys are software P-256 keys that
   * {@link DelegatedResponders} makes itself, so any other key is a programming error.
   */
  static OcspResponseEncoder forResponder(DelegatedResponders.Responder responder) {
    try {
      if (ECUtil.generatePrivateKeyParameter(responder.key().getPrivate())
          instanceof ECPrivateKeyParameters ec) {
        return new OcspResponseEncoder(responder, ec);
      }
    } catch (java.security.InvalidKeyException | IOException e) {
      throw new IllegalStateException("OCSP responder key is not usable", e);
    }
    throw new IllegalStateException("OCSP responder key is not an EC key");
  }

  DelegatedResponders.Responder responder() {
    return responder;
  }

  /**
   * The complete, signed OCSPResponse.
   *
   * @param nonceExtnValue the nonce extension's extnValue octets as received, or null
   */
  byte[] encode(List<Single> singles, Instant producedAt, Instant thisUpdate, Instant nextUpdate,
      Bytes nonceExtnValue) {
    try {
      ByteArrayOutputStream responses = new ByteArrayOutputStream(128 * singles.size());
      byte[] thisUpdateDer = time(thisUpdate, THIS_UPDATE);
      byte[] nextUpdateDer = wrap(0xa0, time(nextUpdate, NEXT_UPDATE));
      for (Single s : singles) {
        ByteArrayOutputStream one = new ByteArrayOutputStream(128);
        one.write(s.certId.toByteArray());
        one.write(status(s.status));
        one.write(thisUpdateDer);
        one.write(nextUpdateDer);
        tlv(responses, 0x30, one.toByteArray());
      }
      ByteArrayOutputStream data = new ByteArrayOutputStream(256 + responses.size());
      data.write(responderId);
      data.write(time(producedAt, THIS_UPDATE));
      tlv(data, 0x30, responses.toByteArray());
      if (nonceExtnValue != null) {
        // responseExtensions [1] EXPLICIT Extensions { Extension { nonce, extnValue } }; the
        // extnValue is echoed octet for octet (RFC 8954 §2.1), critical left at DEFAULT FALSE.
        ByteArrayOutputStream ext = new ByteArrayOutputStream(64);
        ext.write(OCSP_NONCE);
        tlv(ext, 0x04, nonceExtnValue.toByteArray());
        tlv(data, 0xa1, wrap(0x30, wrap(0x30, ext.toByteArray())));
      }
      byte[] tbs = wrap(0x30, data.toByteArray());
      byte[] signature = sign(tbs);
      ByteArrayOutputStream basic = new ByteArrayOutputStream(tbs.length + certs.length + 96);
      basic.write(tbs);
      basic.write(ECDSA_SHA256);
      byte[] bits = new byte[signature.length + 1]; // BIT STRING: 0 unused bits, then the value
      System.arraycopy(signature, 0, bits, 1, signature.length);
      tlv(basic, 0x03, bits);
      basic.write(certs);
      byte[] basicDer = wrap(0x30, basic.toByteArray());
      // OCSPResponse { successful, [0] EXPLICIT ResponseBytes { id-pkix-ocsp-basic, OCTET STRING } }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(basicDer.length + 32);
      bytes.write(OCSP_BASIC);
      tlv(bytes, 0x04, basicDer);
      ByteArrayOutputStream response = new ByteArrayOutputStream(basicDer.length + 48);
      response.write(new byte[] {0x0a, 0x01, 0x00});
      tlv(response, 0xa0, wrap(0x30, bytes.toByteArray()));
      return wrap(0x30, response.toByteArray());
    } catch (IOException e) {
      throw new IllegalStateException(e); // in-memory streams only
    }
  }

  private byte[] sign(byte[] tbs) throws IOException {
    SHA256Digest sha256 = new SHA256Digest();
    sha256.update(tbs, 0, tbs.length);
    byte[] hash = new byte[32];
    sha256.doFinal(hash, 0);
    // A fresh signer per answer (ECDSASigner is not thread-safe; its set-up is a few fields);
    // the generator's precomputed table lives with the curve and is shared.
    ECDSASigner signer = new ECDSASigner();
    signer.init(true, new ParametersWithRandom(key, CryptoServicesRegistrar.getSecureRandom()));
    BigInteger[] rs = signer.generateSignature(hash);
    return StandardDSAEncoding.INSTANCE.encode(key.getParameters().getN(), rs[0], rs[1]);
  }

  private static byte[] status(Status s) throws IOException {
    if (s instanceof Good) {
      return GOOD;
    }
    if (s instanceof Unknown) {
      return UNKNOWN;
    }
    Revoked r = (Revoked) s;
    // revoked [1] IMPLICIT RevokedInfo { revocationTime, revocationReason [0] EXPLICIT OPTIONAL }
    ByteArrayOutputStream info = new ByteArrayOutputStream(32);
    info.write(time(r.at));
    if (r.reason > 0) { // RFC 5280 §5.3.1 / SBR §7.2.2: unspecified is left out
      info.write(new byte[] {(byte) 0xa0, 0x03, 0x0a, 0x01, (byte) r.reason});
    }
    return wrap(0xa1, info.toByteArray());
  }

  /** GeneralizedTime, whole seconds, UTC (RFC 5280 §4.1.2.5.2, as RFC 6960 §4.2.2.1 asks). */
  private static byte[] time(Instant t) {
    return wrap(0x18, GENERALIZED.format(Instant.ofEpochSecond(t.getEpochSecond()))
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  /**
   * {@link #time} through a one-entry cache: every answer signed within the same second shares
   * its producedAt/thisUpdate and its nextUpdate, and formatting a date is a noticeable part of
   * an answer's cost. The cached arrays are only ever read.
   */
  private static byte[] time(Instant t, AtomicReference<EncodedTime> slot) {
    long second = t.getEpochSecond();
    EncodedTime last = slot.get();
    if (last != null && last.second == second) {
      return last.der;
    }
    byte[] der = time(t);
    slot.set(new EncodedTime(second, der));
    return der;
  }

  private record EncodedTime(long second, byte[] der) {}

  private static final AtomicReference<EncodedTime> THIS_UPDATE = new AtomicReference<>();
  private static final AtomicReference<EncodedTime> NEXT_UPDATE = new AtomicReference<>();
}
