package org.keyhaven.keyserver.wot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A small test DSL: keys are named by label (the fingerprint is SHA-1 of the label), every key has
 * the user ID {@code "<label>"} unless others are given, all keys are created at {@link #T0} and
 * certifications default to one hour later.
 */
final class NetworkDsl {

  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final Instant T1 = T0.plus(Duration.ofHours(1));
  static final Instant NOW = T0.plus(Duration.ofDays(30));

  final NetworkBuilder builder = new NetworkBuilder();
  final Map<String, OwnerTrust> ownerTrust = new HashMap<>();

  static String fpr(String label) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(label.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d).toUpperCase(Locale.ROOT);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  NetworkDsl key(String label, OwnerTrust trust, String... uids) {
    String[] ids = uids.length == 0 ? new String[] {label} : uids;
    builder.addNode(Node.of(fpr(label), T0, ids));
    if (trust != null) {
      ownerTrust.put(fpr(label), trust);
    }
    return this;
  }

  NetworkDsl key(String label) {
    return key(label, null);
  }

  NetworkDsl node(Node node, OwnerTrust trust) {
    builder.addNode(node);
    if (trust != null) {
      ownerTrust.put(node.fingerprint(), trust);
    }
    return this;
  }

  /** {@code signer} certifies the first (or the given) user ID of {@code target} at T1. */
  NetworkDsl cert(String signer, String target, String... uids) {
    for (String uid : uids.length == 0 ? new String[] {target} : uids) {
      builder.addCertification(Certification.of(fpr(signer), fpr(target), uid, T1));
    }
    return this;
  }

  NetworkDsl add(Certification c) {
    builder.addCertification(c);
    return this;
  }

  /** A certification of {@code target}'s label user ID by {@code signer} made at {@code at}. */
  static Certification certAt(String signer, String target, Instant at) {
    return Certification.of(fpr(signer), fpr(target), target, at);
  }

  static Certification revAt(String signer, String target, Instant at) {
    return Certification.revocation(fpr(signer), fpr(target), target, at);
  }

  WotResult evaluate() {
    return evaluate(WotParameters.defaults(NOW));
  }

  WotResult evaluate(WotParameters p) {
    return ValidityCalculator.evaluate(builder.build(), ownerTrust, p);
  }

  /** Key validity letter of each label, for compact assertions. */
  static String letters(WotResult r, List<String> labels) {
    StringBuilder sb = new StringBuilder();
    for (String l : labels) {
      sb.append(l).append('=').append(r.keyValidity(fpr(l)).letter()).append(' ');
    }
    return sb.toString().trim();
  }

  static Validity validity(WotResult r, String label) {
    return r.keyValidity(fpr(label));
  }

  static Validity uid(WotResult r, String label, String uid) {
    return r.key(fpr(label)).orElseThrow().userIds().stream()
        .filter(u -> u.userId().equals(uid)).findFirst().orElseThrow().validity();
  }
}
