package org.keyhaven.keyserver.openpgp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyAlgorithmTags;
import org.bouncycastle.bcpg.PublicKeyPacket;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPKeyPair;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureGenerator;
import org.bouncycastle.openpgp.PGPSignatureSubpacketGenerator;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentSignerBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPGPKeyPair;

/**
 * Deterministic OpenPGP v4 keys (Ed25519 primary, X25519 subkey, like gpg's default) for
 * benchmarks, flood drills and tests: the same seed always gives the same bytes, because key
 * material comes from SHA-256 of the seed and Ed25519 signatures are deterministic. Never use
 * these keys for anything real.
 */
public final class SyntheticKeys {
  private SyntheticKeys() {}

  /** A generated key pair with its primary user ID and creation time. */
  public record Identity(PGPKeyPair primary, PGPKeyPair subkey, String userId, Instant created) {
    public PGPPublicKey publicKey() {
      return primary.getPublicKey();
    }
  }

  /** The key for {@code seed}, created at {@code created} (whole seconds). */
  public static Identity identity(String seed, String userId, Instant created) {
    try {
      Date when = Date.from(created);
      Ed25519PrivateKeyParameters ed = new Ed25519PrivateKeyParameters(digest("ed:" + seed), 0);
      X25519PrivateKeyParameters x = new X25519PrivateKeyParameters(digest("x:" + seed), 0);
      PGPKeyPair p = new BcPGPKeyPair(PublicKeyPacket.VERSION_4,
          PublicKeyAlgorithmTags.EDDSA_LEGACY,
          new AsymmetricCipherKeyPair(ed.generatePublicKey(), ed), when);
      PGPKeyPair s = new BcPGPKeyPair(PublicKeyPacket.VERSION_4, PublicKeyAlgorithmTags.ECDH,
          new AsymmetricCipherKeyPair(x.generatePublicKey(), x), when);
      return new Identity(p, s, userId, created);
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The transferable public key: primary, user ID with positive self-certification, subkey. */
  public static byte[] publicKey(Identity id) {
    return publicKey(id, new byte[0]);
  }

  /** As {@link #publicKey(Identity)}, with {@code uidSigs} (encoded) after the self-signature. */
  public static byte[] publicKey(Identity id, byte[] uidSigs) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      PGPPublicKey pk = id.publicKey();
      out.write(packet(pk.getPublicKeyPacket().getEncoded()));
      out.write(userIdPacket(id.userId()));
      out.write(selfCertification(id, id.userId(), id.created(), PGPSignature.POSITIVE_CERTIFICATION)
          .getEncoded());
      out.write(uidSigs);
      PGPSignatureGenerator g = generator(id.primary(), id.created());
      PGPSignatureSubpacketGenerator h = hashed(id.publicKey(), id.created());
      h.setKeyFlags(false, KeyFlags.ENCRYPT_COMMS | KeyFlags.ENCRYPT_STORAGE);
      g.setHashedSubpackets(h.generate());
      g.init(PGPSignature.SUBKEY_BINDING, id.primary().getPrivateKey());
      PGPPublicKey sub = id.subkey().getPublicKey();
      byte[] subPacket = new org.bouncycastle.bcpg.PublicSubkeyPacket(
          sub.getPublicKeyPacket().getVersion(), sub.getAlgorithm(),
          sub.getCreationTime(), sub.getPublicKeyPacket().getKey()).getEncoded();
      out.write(subPacket);
      out.write(g.generateCertification(pk, sub).getEncoded());
      return out.toByteArray();
    } catch (PGPException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A self-certification of {@code userId} (which may be a second user ID) at {@code when}. */
  public static PGPSignature selfCertification(Identity id, String userId, Instant when,
      int type) {
    try {
      PGPSignatureGenerator g = generator(id.primary(), when);
      PGPSignatureSubpacketGenerator h = hashed(id.publicKey(), when);
      h.setKeyFlags(false, KeyFlags.CERTIFY_OTHER | KeyFlags.SIGN_DATA);
      g.setHashedSubpackets(h.generate());
      g.init(type, id.primary().getPrivateKey());
      return g.generateCertification(userId, id.publicKey());
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A third-party certification (0x10) of {@code target}'s user ID by {@code issuer}. */
  public static PGPSignature certify(Identity issuer, Identity target, String userId,
      Instant when) {
    try {
      PGPSignatureGenerator g = generator(issuer.primary(), when);
      g.setHashedSubpackets(hashed(issuer.publicKey(), when).generate());
      g.init(PGPSignature.DEFAULT_CERTIFICATION, issuer.primary().getPrivateKey());
      return g.generateCertification(userId, target.publicKey());
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key revocation (0x20) as {@code gpg --gen-revoke} makes: a lone signature packet. */
  public static PGPSignature revocation(Identity id, Instant when) {
    try {
      PGPSignatureGenerator g = generator(id.primary(), when);
      PGPSignatureSubpacketGenerator h = hashed(id.publicKey(), when);
      h.setRevocationReason(false, (byte) 0, "");
      g.setHashedSubpackets(h.generate());
      g.init(PGPSignature.KEY_REVOCATION, id.primary().getPrivateKey());
      return g.generateCertification(id.publicKey());
    } catch (PGPException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A CVE-2019-13050 flood: the victim's key with {@code n} third-party certifications on its user
   * ID, round-robin from {@code attackers}, one second apart going back from {@code newest}.
   */
  public static byte[] flood(Identity victim, List<Identity> attackers, int n, Instant newest) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(n * 130 + 512);
    try {
      for (int i = 0; i < n; i++) {
        out.write(certify(attackers.get(i % attackers.size()), victim, victim.userId(),
            newest.minusSeconds(i)).getEncoded());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return publicKey(victim, out.toByteArray());
  }

  /** The encoded user ID packet. */
  public static byte[] userIdPacket(String userId) {
    return Packet.of(Packet.USER_ID, userId.getBytes(StandardCharsets.UTF_8)).encoded();
  }

  private static PGPSignatureGenerator generator(PGPKeyPair signer, Instant when) {
    return new PGPSignatureGenerator(new BcPGPContentSignerBuilder(
        signer.getPublicKey().getAlgorithm(), HashAlgorithmTags.SHA256), signer.getPublicKey());
  }

  private static PGPSignatureSubpacketGenerator hashed(PGPPublicKey issuer, Instant when) {
    PGPSignatureSubpacketGenerator h = new PGPSignatureSubpacketGenerator();
    h.setSignatureCreationTime(false, Date.from(when));
    h.setIssuerFingerprint(false, issuer);
    return h;
  }

  private static byte[] packet(byte[] encoded) {
    return encoded;
  }

  private static byte[] digest(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
