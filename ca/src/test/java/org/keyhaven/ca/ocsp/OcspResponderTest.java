package org.keyhaven.ca.ocsp;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Optional;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.revocation.RevocationFixture;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.common.Hex;

class OcspResponderTest {
  @TempDir static Path dir;
  static RevocationFixture f;
  static X509CertificateHolder issuer;

  @BeforeAll
  static void setUp() {
    f = new RevocationFixture(dir);
    issuer = f.ca.ca.ca(CaId.of("ca-mail")).certificateHolder();
  }

  static byte[] request(BigInteger serial, X509CertificateHolder iss, byte[] nonce,
      org.bouncycastle.asn1.x509.AlgorithmIdentifier hash) throws Exception {
    OCSPReqBuilder b = new OCSPReqBuilder();
    b.addRequest(new CertificateID(new BcDigestCalculatorProvider().get(hash), iss, serial));
    if (nonce != null) {
      b.setRequestExtensions(new Extensions(new Extension(
          OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
          new DEROctetString(new DEROctetString(nonce).getEncoded()))));
    }
    return b.build().getEncoded();
  }

  static byte[] request(BigInteger serial, byte[] nonce) throws Exception {
    return request(serial, issuer, nonce, CertificateID.HASH_SHA1);
  }

  static SingleResp single(byte[] der) throws Exception {
    OCSPResp r = new OCSPResp(der);
    assertThat(r.getStatus()).isZero();
    BasicOCSPResp basic = (BasicOCSPResp) r.getResponseObject();
    X509CertificateHolder signer = basic.getCerts()[0];
    assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer)))
        .isTrue();
    assertThat(signer.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer)))
        .isTrue();
    return basic.getResponses()[0];
  }

  @Test
  void respond_goodThenRevokedWithReason_cacheInvalidatedAtOnce() throws Exception {
    var c = f.issue("ocsp1@example.org").cert();
    byte[] req = request(c.serial(), null);
    OcspAnswer first = f.rev.ocsp.respond(req);
    assertThat(single(first.der().toByteArray()).getCertStatus()).isNull();
    assertThat(f.rev.ocsp.respond(req).der()).isEqualTo(first.der());

    f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.KEY_COMPROMISE, Optional.empty());
    SingleResp after = single(f.rev.ocsp.respond(req).der().toByteArray());
    assertThat(after.getCertStatus()).isInstanceOf(RevokedStatus.class);
    RevokedStatus rs = (RevokedStatus) after.getCertStatus();
    assertThat(rs.getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
  }

  @Test
  void respond_withNonce_rememberedStatus_givesWayToRevocationAndRelease() throws Exception {
    // Nonce answers are signed every time but read the status once; a change must still show
    // in the very next answer.
    var c = f.issue("ocsp-nonce@example.org").cert();
    byte[] nonce = {9, 8, 7, 6, 5, 4, 3, 2};
    byte[] req = request(c.serial(), nonce);
    assertThat(single(f.rev.ocsp.respond(req).der().toByteArray()).getCertStatus()).isNull();
    assertThat(single(f.rev.ocsp.respond(req).der().toByteArray()).getCertStatus()).isNull();
    f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.CERTIFICATE_HOLD, Optional.empty());
    RevokedStatus held = (RevokedStatus) single(f.rev.ocsp.respond(req).der().toByteArray())
        .getCertStatus();
    assertThat(held.getRevocationReason()).isEqualTo(CRLReason.certificateHold);
    f.rev.revocations.release(RevocationFixture.RA, c.serialHex());
    assertThat(single(f.rev.ocsp.respond(req).der().toByteArray()).getCertStatus()).isNull();
    f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.KEY_COMPROMISE, Optional.empty());
    RevokedStatus revoked = (RevokedStatus) single(f.rev.ocsp.respond(req).der().toByteArray())
        .getCertStatus();
    assertThat(revoked.getRevocationReason()).isEqualTo(CRLReason.keyCompromise);
  }

  @Test
  void rawRequestCache_servesTheSameAnswer_untilRevocationOrNonce() throws Exception {
    var c = f.issue("ocsp-raw@example.org").cert();
    byte[] req = request(c.serial(), null);
    String raw = java.util.Base64.getEncoder().encodeToString(req);
    assertThat(f.rev.ocsp.cachedForRawRequest(raw)).as("never seen").isNull();
    OcspAnswer first = f.rev.ocsp.respond(req, raw);
    assertThat(f.rev.ocsp.cachedForRawRequest(raw)).isSameAs(first);
    // A request with a nonce is signed every time and never remembered.
    byte[] withNonce = request(c.serial(), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    String rawNonce = java.util.Base64.getEncoder().encodeToString(withNonce);
    f.rev.ocsp.respond(withNonce, rawNonce);
    assertThat(f.rev.ocsp.cachedForRawRequest(rawNonce)).isNull();
    // An unknown serial is never remembered either (it may be issued a moment later).
    byte[] unknown = request(BigInteger.valueOf(987654321), null);
    String rawUnknown = java.util.Base64.getEncoder().encodeToString(unknown);
    f.rev.ocsp.respond(unknown, rawUnknown);
    assertThat(f.rev.ocsp.cachedForRawRequest(rawUnknown)).isNull();

    f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.KEY_COMPROMISE, Optional.empty());
    assertThat(f.rev.ocsp.cachedForRawRequest(raw)).as("revoked: the old answer is gone").isNull();
    OcspAnswer after = f.rev.ocsp.respond(req, raw);
    assertThat(single(after.der().toByteArray()).getCertStatus()).isInstanceOf(RevokedStatus.class);
    assertThat(f.rev.ocsp.cachedForRawRequest(raw)).isSameAs(after);
    f.rev.ocsp.clear();
    assertThat(f.rev.ocsp.cachedForRawRequest(raw)).isNull();
  }

  @Test
  void respond_sha256CertId_isAnsweredWithTheSameCertId() throws Exception {
    var c = f.issue("ocsp2@example.org").cert();
    byte[] req = request(c.serial(), issuer, null,
        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
            org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256));
    SingleResp s = single(f.rev.ocsp.respond(req).der().toByteArray());
    assertThat(s.getCertStatus()).isNull();
    assertThat(s.getCertID().getHashAlgOID())
        .isEqualTo(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256);
  }

  @Test
  void respond_unissuedSerial_isUnknownAndNotCached() throws Exception {
    SingleResp s = single(f.rev.ocsp.respond(request(BigInteger.valueOf(4242), null)).der()
        .toByteArray());
    assertThat(s.getCertStatus()).isInstanceOf(UnknownStatus.class);
  }

  @Test
  void respond_foreignIssuer_isUnauthorized() throws Exception {
    var other = new org.keyhaven.ca.CaFixture(dir.resolve("other"));
    other.ca.bootstrap();
    X509CertificateHolder foreign = other.ca.ca(CaId.of("ca-mail")).certificateHolder();
    OcspAnswer a = f.rev.ocsp.respond(request(BigInteger.TEN, foreign, null,
        CertificateID.HASH_SHA1));
    assertThat(new OCSPResp(a.der().toByteArray()).getStatus()).isEqualTo(6);
  }

  @Test
  void respond_garbage_isMalformedRequestNeverAnException() throws Exception {
    for (String hex : new String[] {"", "00", "3000", "30030201ff", "a0a0a0a0", "3080"}) {
      OcspAnswer a = f.rev.ocsp.respond(Hex.decode(hex));
      assertThat(new OCSPResp(a.der().toByteArray()).getStatus()).as(hex).isEqualTo(1);
    }
    byte[] deep = new byte[6000];
    for (int i = 0; i < deep.length; i += 2) {
      deep[i] = 0x30;
      deep[i + 1] = (byte) 0x80;
    }
    assertThat(new OCSPResp(f.rev.ocsp.respond(deep).der().toByteArray()).getStatus())
        .isEqualTo(1);
  }

  @Test
  void respond_nonce_echoedWithinRfc8954Lengths() throws Exception {
    var c = f.issue("ocsp3@example.org").cert();
    for (int len : new int[] {1, 16, 32}) {
      byte[] nonce = new byte[len];
      nonce[0] = (byte) len;
      OCSPResp r = new OCSPResp(f.rev.ocsp.respond(request(c.serial(), nonce)).der()
          .toByteArray());
      Extension ext = ((BasicOCSPResp) r.getResponseObject())
          .getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
      assertThat(ext.getExtnValue().getOctets()).isEqualTo(new DEROctetString(nonce)
          .getEncoded());
    }
    for (int len : new int[] {0, 33, 128}) {
      OCSPResp r = new OCSPResp(f.rev.ocsp.respond(request(c.serial(), new byte[len])).der()
          .toByteArray());
      assertThat(r.getStatus()).as("nonce of %d octets", len).isEqualTo(1);
    }
  }

  @Test
  void responderCertificate_followsBrProfile() throws Exception {
    var c = f.issue("ocsp4@example.org").cert();
    OCSPResp r = new OCSPResp(f.rev.ocsp.respond(request(c.serial(), null)).der().toByteArray());
    X509CertificateHolder rc = ((BasicOCSPResp) r.getResponseObject()).getCerts()[0];
    assertThat(rc.getIssuer()).isEqualTo(issuer.getSubject());
    assertThat(rc.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck).getExtnValue()
        .getOctets()).isEqualTo(Hex.decode("0500"));
    assertThat(org.bouncycastle.asn1.x509.ExtendedKeyUsage.fromExtensions(rc.getExtensions())
        .getUsages()).containsExactly(KeyPurposeId.id_kp_OCSPSigning);
    assertThat(rc.getExtension(Extension.basicConstraints)).isNull();
    assertThat(rc.getExtension(Extension.cRLDistributionPoints)).isNull();
    assertThat(rc.getExtension(Extension.keyUsage).isCritical()).isTrue();
  }

  @Test
  void respond_holdIsRevokedWithCertificateHold_thenGoodAfterRelease() throws Exception {
    var c = f.issue("ocsp5@example.org").cert();
    byte[] req = request(c.serial(), null);
    f.rev.revocations.revoke(RevocationFixture.RA, c.serialHex(),
        RevocationReason.CERTIFICATE_HOLD, Optional.empty());
    RevokedStatus rs = (RevokedStatus) single(f.rev.ocsp.respond(req).der().toByteArray())
        .getCertStatus();
    assertThat(rs.getRevocationReason()).isEqualTo(CRLReason.certificateHold);
    f.rev.revocations.release(RevocationFixture.RA, c.serialHex());
    assertThat(single(f.rev.ocsp.respond(req).der().toByteArray()).getCertStatus()).isNull();
  }
}
