package org.keyhaven.ca.revocation;

import java.util.Collection;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.keyhaven.common.PkiException;

/**
 * A CMS SignedData (RFC 5652, as {@code openssl cms -sign -nodetach -outform DER} makes it)
 * carrying a {@link SelfServiceStatement}. Decoding is total; verification uses a certificate
 * from our store, never one carried in the message.
 */
public final class SignedRevocationRequest {
  /** Bigger than any statement plus a signer certificate chain. */
  public static final int MAX_BYTES = 64 * 1024;

  private final SignerInformation signer;
  private final byte[] content;

  private SignedRevocationRequest(SignerInformation signer, byte[] content) {
    this.signer = signer;
    this.content = content;
  }

  /** Parses DER (or PEM "-----BEGIN CMS-----"/PKCS7) CMS; anything else is MALFORMED. */
  public static SignedRevocationRequest decode(byte[] encoded) {
    if (encoded == null || encoded.length == 0) {
      throw PkiException.malformed("revocation request is empty");
    }
    if (encoded.length > MAX_BYTES) {
      throw PkiException.tooLarge("revocation request is larger than %d bytes", MAX_BYTES);
    }
    try {
      CMSSignedData cms = new CMSSignedData(Pem.derOf(encoded));
      if (cms.getSignedContent() == null) {
        throw PkiException.malformed(
            "revocation request has no content (sign with -nodetach so the statement is inside)");
      }
      Collection<SignerInformation> signers = cms.getSignerInfos().getSigners();
      if (signers.size() != 1) {
        throw PkiException.malformed("revocation request must have exactly one signer, has %d",
            signers.size());
      }
      byte[] content = (byte[]) cms.getSignedContent().getContent();
      return new SignedRevocationRequest(signers.iterator().next(), content);
    } catch (PkiException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      throw PkiException.malformed("revocation request is not a CMS SignedData: %s",
          String.valueOf(e.getMessage()).lines().findFirst().orElse("unreadable"));
    }
  }

  public byte[] content() {
    return content.clone();
  }

  /** True if the only signer is {@code cert} and its signature over the content verifies. */
  public boolean signedBy(X509CertificateHolder cert) {
    try {
      if (!signer.getSID().match(cert)) {
        return false;
      }
      return signer.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert));
    } catch (Exception e) {
      return false;
    }
  }

  /** PEM unwrapping for pasted requests. */
  static final class Pem {
    private Pem() {}

    static byte[] derOf(byte[] in) {
      String s = new String(in, 0, Math.min(in.length, 40), java.nio.charset.StandardCharsets.US_ASCII);
      if (!s.startsWith("-----BEGIN")) {
        return in;
      }
      String text = new String(in, java.nio.charset.StandardCharsets.US_ASCII);
      String body = text.replaceAll("-----[^-]+-----", "").replaceAll("\\s", "");
      return java.util.Base64.getDecoder().decode(body);
    }
  }
}
