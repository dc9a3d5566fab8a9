package org.keyhaven.keyserver.wot.openpgp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.bcpg.SignatureSubpacketTags;
import org.bouncycastle.bcpg.sig.KeyFlags;
import org.bouncycastle.bcpg.sig.RegularExpression;
import org.bouncycastle.openpgp.PGPPublicKey;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureSubpacketVector;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;
import org.bouncycastle.openpgp.operator.bc.BcPGPContentVerifierBuilderProvider;
import org.keyhaven.common.Hex;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.wot.Certification;
import org.keyhaven.keyserver.wot.NetworkBuilder;
import org.keyhaven.keyserver.wot.Node;
import org.keyhaven.keyserver.wot.TrustSignature;
import org.keyhaven.keyserver.wot.UserIdState;

/**
 * Builds web-of-trust input from OpenPGP keyrings: one {@link Node} per primary key with a valid
 * self-signed user ID, and one {@link Certification} per third-party certification or
 * certification revocation that verifies against a primary key in the same collection.
 */
public final class KeyringNetworkReader {

  /** GnuPG rejects SHA-1 third-party certifications made after this instant (2019-01-19). */
  static final Instant SHA1_CUTOFF = Instant.parse("2019-01-19T00:00:00Z");

  private final BcPGPContentVerifierBuilderProvider verifiers =
      new BcPGPContentVerifierBuilderProvider();
  private final Map<Long, List<PGPPublicKey>> primaryById = new HashMap<>();

  private KeyringNetworkReader(Collection<PGPPublicKeyRing> rings) {
    for (PGPPublicKeyRing ring : rings) {
      PGPPublicKey primary = ring.getPublicKey();
      primaryById.computeIfAbsent(primary.getKeyID(), id -> new ArrayList<>()).add(primary);
    }
  }

  /**
   * Adds every key and certification of {@code rings} to {@code builder}; returns the builder. A
   * keyring that cannot be read (corrupt subpackets, no valid self-signature) is skipped, as
   * {@code gpg --import} skips it, so one bad key cannot block the others.
   */
  public static NetworkBuilder addAll(NetworkBuilder builder, Collection<PGPPublicKeyRing> rings) {
    KeyringNetworkReader reader = new KeyringNetworkReader(rings);
    for (PGPPublicKeyRing ring : rings) {
      NetworkBuilder one = new NetworkBuilder();
      try {
        reader.add(one, ring);
      } catch (RuntimeException e) {
        continue;
      }
      one.nodes().forEach(builder::addNode);
      one.certifications().forEach(builder::addCertification);
    }
    return builder;
  }

  /** Reads every public keyring from armored or binary input (total: bad input is MALFORMED). */
  public static List<PGPPublicKeyRing> read(InputStream in) {
    try (InputStream decoded = PGPUtil.getDecoderStream(in)) {
      List<PGPPublicKeyRing> rings = new ArrayList<>();
      BcPGPObjectFactory factory = new BcPGPObjectFactory(decoded);
      Object o;
      while ((o = factory.nextObject()) != null) {
        if (o instanceof PGPPublicKeyRing r) {
          rings.add(r);
        } else {
          throw PkiException.malformed("keyring holds a %s, not a public key",
              o.getClass().getSimpleName());
        }
      }
      if (rings.isEmpty()) {
        throw PkiException.malformed("keyring holds no OpenPGP public key");
      }
      return rings;
    } catch (PkiException e) {
      throw e;
    } catch (Exception | StackOverflowError e) {
      throw PkiException.malformed(e, "keyring is not valid OpenPGP: %s", e.getMessage());
    }
  }

  private void add(NetworkBuilder builder, PGPPublicKeyRing ring) {
    PGPPublicKey primary = ring.getPublicKey();
    String fpr = Hex.encode(primary.getFingerprint()).toUpperCase(java.util.Locale.ROOT);
    PGPSignature latestSelf = null; // newest valid self-signature: key expiry and flags
    Instant revokedAt = null;
    for (PGPSignature sig : iterable(primary.getSignaturesOfType(PGPSignature.KEY_REVOCATION))) {
      if (isSelf(sig, primary) && verify(sig, primary, () -> sig.verifyCertification(primary))) {
        Instant t = sig.getCreationTime().toInstant();
        revokedAt = revokedAt == null || t.isBefore(revokedAt) ? t : revokedAt;
      }
    }
    for (PGPSignature sig : iterable(primary.getSignaturesOfType(PGPSignature.DIRECT_KEY))) {
      if (isSelf(sig, primary) && verify(sig, primary, () -> sig.verifyCertification(primary))) {
        latestSelf = newer(latestSelf, sig);
      }
    }
    List<UserIdState> ids = new ArrayList<>();
    List<Certification> certs = new ArrayList<>();
    for (byte[] raw : iterable(primary.getRawUserIDs())) {
      String uid = new String(raw, StandardCharsets.UTF_8);
      PGPSignature selfCert = null;
      PGPSignature selfRevocation = null;
      for (PGPSignature sig : iterable(primary.getSignaturesForID(raw))) {
        int type = sig.getSignatureType();
        boolean cert = type >= PGPSignature.DEFAULT_CERTIFICATION
            && type <= PGPSignature.POSITIVE_CERTIFICATION;
        boolean rev = type == PGPSignature.CERTIFICATION_REVOCATION;
        if (!cert && !rev) {
          continue;
        }
        if (isSelf(sig, primary)) {
          if (verify(sig, primary, () -> sig.verifyCertification(raw, primary))) {
            if (cert) {
              selfCert = newer(selfCert, sig);
            } else {
              selfRevocation = newer(selfRevocation, sig);
            }
          }
        } else {
          Certification c = thirdParty(sig, primary, fpr, uid, raw, cert);
          if (c != null) {
            certs.add(c);
          }
        }
      }
      if (selfCert == null) {
        continue; // a user ID without a valid self-signature does not exist for GnuPG
      }
      latestSelf = newer(latestSelf, selfCert);
      Instant uidRevoked = selfRevocation != null
          && !selfRevocation.getCreationTime().before(selfCert.getCreationTime())
          ? selfRevocation.getCreationTime().toInstant() : null;
      ids.add(new UserIdState(uid, uidRevoked, expiry(selfCert)));
    }
    if (ids.isEmpty()) {
      return; // no valid self-signature: GnuPG's import rejects such keys
    }
    Instant created = primary.getCreationTime().toInstant();
    Instant expires = null;
    boolean canCertify = true;
    PGPSignatureSubpacketVector hashed = latestSelf.getHashedSubPackets();
    if (hashed != null) {
      long validSeconds = hashed.getKeyExpirationTime();
      expires = validSeconds > 0 ? created.plusSeconds(validSeconds) : null;
      if (hashed.hasSubpacket(SignatureSubpacketTags.KEY_FLAGS)) {
        canCertify = (hashed.getKeyFlags() & KeyFlags.CERTIFY_OTHER) != 0;
      }
    }
    builder.addNode(new Node(fpr, created, expires, revokedAt, canCertify, ids));
    certs.forEach(builder::addCertification);
  }

  private Certification thirdParty(
      PGPSignature sig, PGPPublicKey target, String targetFpr, String uid, byte[] raw,
      boolean cert) {
    List<PGPPublicKey> candidates = findSigners(sig);
    if (candidates.isEmpty()) {
      return null; // GnuPG ignores certifications by keys it does not have
    }
    Instant created = sig.getCreationTime().toInstant();
    if (sig.getHashAlgorithm() == HashAlgorithmTags.SHA1 && created.isAfter(SHA1_CUTOFF)) {
      return null;
    }
    PGPPublicKey signer = null;
    for (PGPPublicKey candidate : candidates) { // several keys may share a key ID
      if (verify(sig, candidate, () -> sig.verifyCertification(raw, target))) {
        signer = candidate;
        break;
      }
    }
    if (signer == null) {
      return null;
    }
    PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
    boolean revocable = true;
    TrustSignature trust = null;
    if (hashed != null) {
      revocable = !hashed.hasSubpacket(SignatureSubpacketTags.REVOCABLE) || hashed.isRevocable();
      org.bouncycastle.bcpg.sig.TrustSignature t = hashed.getTrust();
      if (t != null) {
        RegularExpression re = hashed.getRegularExpression();
        trust = new TrustSignature(t.getDepth(), t.getTrustAmount(), re == null ? null
            : re.getRegex());
      }
    }
    String issuer = Hex.encode(signer.getFingerprint()).toUpperCase(java.util.Locale.ROOT);
    int level = cert ? sig.getSignatureType() - PGPSignature.DEFAULT_CERTIFICATION : 0;
    return new Certification(issuer, targetFpr, uid, created, expiry(sig),
        cert ? Certification.Kind.CERTIFICATION : Certification.Kind.REVOCATION, level, revocable,
        trust);
  }

  private List<PGPPublicKey> findSigners(PGPSignature sig) {
    List<PGPPublicKey> candidates = primaryById.get(sig.getKeyID());
    if (candidates == null && sig.getHashedSubPackets() != null
        && sig.getHashedSubPackets().getIssuerFingerprint() != null) {
      byte[] f = sig.getHashedSubPackets().getIssuerFingerprint().getFingerprint();
      long id = 0;
      for (int i = 12; i < 20 && f.length == 20; i++) {
        id = (id << 8) | (f[i] & 0xff); // v4: key ID = low 64 bits of the fingerprint
      }
      candidates = primaryById.get(f.length == 20 ? id : bytesToLong(f));
    }
    return candidates == null ? List.of() : candidates;
  }

  private static long bytesToLong(byte[] f) {
    long id = 0;
    for (int i = 0; i < 8 && i < f.length; i++) {
      id = (id << 8) | (f[i] & 0xff); // v6: key ID = high 64 bits of the fingerprint
    }
    return id;
  }

  private static Instant expiry(PGPSignature sig) {
    PGPSignatureSubpacketVector hashed = sig.getHashedSubPackets();
    long seconds = hashed == null ? 0 : hashed.getSignatureExpirationTime();
    return seconds > 0 ? sig.getCreationTime().toInstant().plusSeconds(seconds) : null;
  }

  private static boolean isSelf(PGPSignature sig, PGPPublicKey primary) {
    return sig.getKeyID() == primary.getKeyID();
  }

  private static PGPSignature newer(PGPSignature current, PGPSignature candidate) {
    return current == null || !candidate.getCreationTime().before(current.getCreationTime())
        ? candidate : current;
  }

  private interface Check {
    boolean run() throws Exception;
  }

  private boolean verify(PGPSignature sig, PGPPublicKey key, Check check) {
    try {
      sig.init(verifiers, key);
      return check.run();
    } catch (Exception e) {
      return false; // unsupported algorithm or corrupt signature: it simply does not count
    }
  }

  private static <T> Iterable<T> iterable(Iterator<T> it) {
    return () -> it;
  }
}
