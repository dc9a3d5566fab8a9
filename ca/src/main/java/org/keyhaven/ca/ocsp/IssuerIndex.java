package org.keyhaven.ca.ocsp;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.CaRegistry;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.Hex;

/**
 * Finds the CA a CertID names by (hash algorithm, issuerNameHash, issuerKeyHash), RFC 6960
 * §4.1.1, for SHA-1 and the SHA-2 family. Both hashes must match one CA. The index is rebuilt from
 * the registry when a lookup misses (a CA created since), at most once a second.
 */
public final class IssuerIndex {
  private static final Map<String, String> DIGESTS = Map.of(
      OIWObjectIdentifiers.idSHA1.getId(), "SHA-1",
      NISTObjectIdentifiers.id_sha256.getId(), "SHA-256",
      NISTObjectIdentifiers.id_sha384.getId(), "SHA-384",
      NISTObjectIdentifiers.id_sha512.getId(), "SHA-512");

  private final CaRegistry registry;
  private final Clock clock;
  private volatile Map<String, CaId> index = Map.of();
  private volatile Instant builtAt = Instant.EPOCH;

  public IssuerIndex(CaRegistry registry, Clock clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** True if we know how to hash with this algorithm (otherwise: not ours to answer). */
  public static boolean supported(String hashOid) {
    return DIGESTS.containsKey(hashOid);
  }

  public Optional<CaId> find(OcspRequest.CertId id) {
    String key = key(id.hashAlgorithm(), id.issuerNameHash(), id.issuerKeyHash());
    CaId ca = index.get(key);
    if (ca == null && clock.instant().isAfter(builtAt.plus(Duration.ofSeconds(1)))) {
      rebuild();
      ca = index.get(key);
    }
    return Optional.ofNullable(ca);
  }

  public synchronized void rebuild() {
    Map<String, CaId> next = new HashMap<>();
    for (CaNode node : registry.all()) {
      X509CertificateHolder cert = node.certificateHolder();
      try {
        byte[] name = cert.getSubject().getEncoded("DER");
        byte[] key = cert.getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
        for (Map.Entry<String, String> d : DIGESTS.entrySet()) {
          MessageDigest md = MessageDigest.getInstance(d.getValue());
          byte[] nameHash = md.digest(name);
          byte[] keyHash = md.digest(key);
          next.put(key(d.getKey(), Bytes.copyOf(nameHash), Bytes.copyOf(keyHash)), node.id());
        }
      } catch (Exception e) {
        throw new IllegalStateException("cannot index CA " + node.id(), e);
      }
    }
    index = Map.copyOf(next);
    builtAt = clock.instant();
  }

  private static String key(String oid, Bytes nameHash, Bytes keyHash) {
    return oid + "/" + Hex.encode(nameHash.toByteArray()) + "/"
        + Hex.encode(keyHash.toByteArray());
  }
}
