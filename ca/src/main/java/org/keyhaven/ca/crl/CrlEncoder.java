package org.keyhaven.ca.crl;

import static org.keyhaven.ca.der.Der.tlv;
import static org.keyhaven.ca.der.Der.wrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.Time;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.ca.revocation.RevokedEntry;

/**
 * Writes a CertificateList (RFC 5280 §5.1) straight to DER. BouncyCastle's X509v2CRLBuilder
 * builds an object per entry and re-encodes the list several times, which takes tens of seconds
 * for 100,000 entries; here each entry is a few array copies, with the encodings shared by many
 * entries (reason extensions, revocation times) computed once.
 */
final class CrlEncoder {
  private final Map<Integer, byte[]> reasonExtensions = new HashMap<>();
  private final Map<Instant, byte[]> times = new HashMap<>();

  /** Returns the signed DER CRL. */
  byte[] encode(X509CertificateHolder ca, ContentSigner signer, Instant thisUpdate,
      Instant nextUpdate, Collection<RevokedEntry> entries, Extensions crlExtensions)
      throws IOException {
    ByteArrayOutputStream revoked = new ByteArrayOutputStream(entries.size() * 48 + 16);
    for (RevokedEntry e : entries) {
      entry(revoked, e);
    }
    ByteArrayOutputStream tbs = new ByteArrayOutputStream(revoked.size() + 1024);
    tbs.write(new byte[] {0x02, 0x01, 0x01}); // version v2
    tbs.write(signer.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER));
    tbs.write(ca.getSubject().getEncoded(ASN1Encoding.DER));
    tbs.write(time(thisUpdate));
    tbs.write(time(nextUpdate));
    if (revoked.size() > 0) { // §5.1.2.6: absent, not empty, when there are no entries
      tlv(tbs, 0x30, revoked.toByteArray());
    }
    tlv(tbs, 0xa0, crlExtensions.getEncoded(ASN1Encoding.DER));
    byte[] tbsDer = wrap(0x30, tbs.toByteArray());
    try (OutputStream sig = signer.getOutputStream()) {
      sig.write(tbsDer);
    }
    byte[] signature = new DERBitString(signer.getSignature()).getEncoded(ASN1Encoding.DER);
    byte[] alg = signer.getAlgorithmIdentifier().getEncoded(ASN1Encoding.DER);
    ByteArrayOutputStream list = new ByteArrayOutputStream(tbsDer.length + 256);
    list.write(tbsDer);
    list.write(alg);
    list.write(signature);
    return wrap(0x30, list.toByteArray());
  }

  private void entry(ByteArrayOutputStream out, RevokedEntry e) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream(64);
    tlv(b, 0x02, positive(e.serial()));
    b.write(time(e.revokedAt()));
    byte[] ext = extensions(e);
    if (ext != null) {
      b.write(ext);
    }
    tlv(out, 0x30, b.toByteArray());
  }

  private byte[] extensions(RevokedEntry e) throws IOException {
    int reason = e.released() ? RevocationReason.REMOVE_FROM_CRL.code()
        : e.reason().get().code();
    // SBR/BR §7.2.2: reasonCode is omitted rather than written as unspecified.
    boolean withReason = reason != RevocationReason.UNSPECIFIED.code();
    boolean withDate = !e.released() && e.invalidityDate().isPresent();
    if (!withReason && !withDate) {
      return null; // crlEntryExtensions is SIZE (1..MAX): leave it out
    }
    ByteArrayOutputStream list = new ByteArrayOutputStream(48);
    if (withReason) {
      list.write(reasonExtension(reason));
    }
    if (withDate) {
      // Extension { invalidityDate (2.5.29.24), OCTET STRING { GeneralizedTime } }, §5.3.2.
      ByteArrayOutputStream ext = new ByteArrayOutputStream(32);
      ext.write(INVALIDITY_DATE_OID);
      byte[] time = GENERALIZED.format(e.invalidityDate().get())
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      tlv(ext, 0x04, wrap(0x18, time));
      tlv(list, 0x30, ext.toByteArray());
    }
    return wrap(0x30, list.toByteArray());
  }

  private static final byte[] INVALIDITY_DATE_OID = {0x06, 0x03, 0x55, 0x1d, 0x18};
  private static final java.time.format.DateTimeFormatter GENERALIZED =
      java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmmss'Z'")
          .withZone(java.time.ZoneOffset.UTC);

  private byte[] reasonExtension(int reason) throws IOException {
    byte[] cached = reasonExtensions.get(reason);
    if (cached == null) {
      cached = new Extension(Extension.reasonCode, false,
          CRLReason.lookup(reason).getEncoded(ASN1Encoding.DER)).getEncoded(ASN1Encoding.DER);
      reasonExtensions.put(reason, cached);
    }
    return cached;
  }

  /** RFC 5280 §5.1.2.4: UTCTime through 2049, GeneralizedTime after (BC's Time does this). */
  private byte[] time(Instant t) throws IOException {
    byte[] cached = times.get(t);
    if (cached == null) {
      cached = new Time(Date.from(t)).getEncoded(ASN1Encoding.DER);
      times.put(t, cached);
    }
    return cached;
  }

  private static byte[] positive(BigInteger serial) {
    return serial.toByteArray(); // two's complement, minimal: the DER INTEGER content octets
  }
}
