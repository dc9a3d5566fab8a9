package org.keyhaven.ca.ocsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.BasicOCSPResponse;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.ocsp.RevokedInfo;
import org.bouncycastle.asn1.ASN1GeneralizedTime;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.revocation.RevocationFixture;
import org.keyhaven.common.Bytes;

/**
 * The direct encoder against BouncyCastle's response builder, fed the same inputs: the signed
 * part (tbsResponseData) and the certificates must be the same bytes, and the signature must
 * verify with the responder certificate. Signatures themselves differ (ECDSA is randomised).
 */
class OcspResponseEncoderTest {
  @TempDir static Path dir;
  static RevocationFixture f;
  static DelegatedResponders.Responder responder;
  static X509CertificateHolder issuer;

  @BeforeAll
  static void setUp() {
    f = new RevocationFixture(dir);
    responder = f.rev.responders.forCa(CaId.of("ca-mail"));
    issuer = f.ca.ca.ca(CaId.of("ca-mail")).certificateHolder();
  }

  static Bytes certId(BigInteger serial) throws Exception {
    return Bytes.copyOf(new CertificateID(new BcDigestCalculatorProvider()
        .get(CertificateID.HASH_SHA1), issuer, serial).toASN1Primitive()
        .getEncoded(ASN1Encoding.DER));
  }

  @Test
  void encode_sameTbsAndCertsAsBouncyCastle_forEveryStatusWithAndWithoutNonce() throws Exception {
    Instant now = Instant.parse("2026-11-25T02:03:04.567Z");
    Instant next = Instant.parse("2026-11-26T02:03:04.567Z");
    Instant revokedAt = Instant.parse("2026-11-20T10:00:00Z");
    BigInteger good = new BigInteger("1234567890abcdef", 16);
    BigInteger revoked = new BigInteger("7edcba0987654321", 16);
    BigInteger unspecified = BigInteger.valueOf(0x55);
    BigInteger unknown = BigInteger.valueOf(0x77);
    byte[] nonceValue = new DEROctetString(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
        14, 15, 16}).getEncoded();
    List<OcspResponseEncoder.Single> singles = List.of(
        new OcspResponseEncoder.Single(certId(good), new OcspResponseEncoder.Good()),
        new OcspResponseEncoder.Single(certId(revoked),
            new OcspResponseEncoder.Revoked(revokedAt, CRLReason.keyCompromise)),
        new OcspResponseEncoder.Single(certId(unspecified),
            new OcspResponseEncoder.Revoked(revokedAt, -1)),
        new OcspResponseEncoder.Single(certId(unknown), new OcspResponseEncoder.Unknown()));
    OcspResponseEncoder encoder = OcspResponseEncoder.forResponder(responder);

    for (byte[] nonce : new byte[][] {null, nonceValue}) {
      byte[] ours = encoder.encode(singles, now, now, next,
          nonce == null ? null : Bytes.copyOf(nonce));

      BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(
          responder.certificate().getSubjectPublicKeyInfo(),
          new BcDigestCalculatorProvider().get(RespID.HASH_SHA1)));
      Date from = Date.from(now);
      Date to = Date.from(next);
      b.addResponse(new CertificateID(new BcDigestCalculatorProvider()
          .get(CertificateID.HASH_SHA1), issuer, good), CertificateStatus.GOOD, from, to, null);
      b.addResponse(new CertificateID(new BcDigestCalculatorProvider()
          .get(CertificateID.HASH_SHA1), issuer, revoked), new RevokedStatus(new RevokedInfo(
              new ASN1GeneralizedTime(Date.from(revokedAt)),
              CRLReason.lookup(CRLReason.keyCompromise))), from, to, null);
      b.addResponse(new CertificateID(new BcDigestCalculatorProvider()
          .get(CertificateID.HASH_SHA1), issuer, unspecified), new RevokedStatus(
              new RevokedInfo(new ASN1GeneralizedTime(Date.from(revokedAt)), null)),
          from, to, null);
      b.addResponse(new CertificateID(new BcDigestCalculatorProvider()
          .get(CertificateID.HASH_SHA1), issuer, unknown), new UnknownStatus(), from, to, null);
      if (nonce != null) {
        b.setResponseExtensions(new Extensions(new Extension(
            OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false, nonce)));
      }
      X509CertificateHolder[] chain = new X509CertificateHolder[responder.chain().size() + 1];
      chain[0] = responder.certificate();
      for (int i = 0; i < responder.chain().size(); i++) {
        chain[i + 1] = responder.chain().get(i);
      }
      BasicOCSPResp theirs = b.build(new JcaContentSignerBuilder("SHA256withECDSA")
          .build(responder.key().getPrivate()), chain, from);

      OCSPResp parsed = new OCSPResp(ours);
      assertThat(parsed.getStatus()).isZero();
      BasicOCSPResp basic = (BasicOCSPResp) parsed.getResponseObject();
      BasicOCSPResponse oursAsn1 = BasicOCSPResponse.getInstance(basic.getEncoded());
      BasicOCSPResponse theirsAsn1 = BasicOCSPResponse.getInstance(theirs.getEncoded());
      assertThat(oursAsn1.getTbsResponseData().getEncoded(ASN1Encoding.DER))
          .isEqualTo(theirsAsn1.getTbsResponseData().getEncoded(ASN1Encoding.DER));
      assertThat(oursAsn1.getSignatureAlgorithm()).isEqualTo(theirsAsn1.getSignatureAlgorithm());
      assertThat(oursAsn1.getCerts().getEncoded(ASN1Encoding.DER))
          .isEqualTo(theirsAsn1.getCerts().getEncoded(ASN1Encoding.DER));
      // Our own bytes are DER already: re-encoding changes nothing.
      assertThat(oursAsn1.getEncoded(ASN1Encoding.DER)).isEqualTo(basic.getEncoded());
      assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder()
          .build(responder.certificate()))).isTrue();
    }
  }
}
