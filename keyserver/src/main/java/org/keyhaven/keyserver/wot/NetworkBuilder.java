package org.keyhaven.keyserver.wot;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects nodes and certifications from any source (an OpenPGP adapter, a certification store, a
 * test DSL) and compiles them into an immutable {@link Network}. Adding a node twice replaces the
 * earlier one; certifications whose issuer, target or user ID is unknown at {@link #build()} time
 * are dropped (GnuPG ignores certifications by keys it does not have).
 */
public final class NetworkBuilder {

  private final Map<String, Node> nodes = new LinkedHashMap<>();
  private final List<Certification> certifications = new ArrayList<>();

  /** Adds or replaces a key. */
  public NetworkBuilder addNode(Node node) {
    String fpr = Fingerprints.normalize(node.fingerprint());
    Node n =
        fpr.equals(node.fingerprint())
            ? node
            : new Node(fpr, node.created(), node.expiresAt(), node.revokedAt(), node.canCertify(),
                node.userIds());
    nodes.put(fpr, n);
    return this;
  }

  /** Adds a verified certification or certification revocation. */
  public NetworkBuilder addCertification(Certification c) {
    String issuer = Fingerprints.normalize(c.issuer());
    String target = Fingerprints.normalize(c.target());
    if (!issuer.equals(c.issuer()) || !target.equals(c.target())) {
      c = new Certification(issuer, target, c.userId(), c.created(), c.expiresAt(), c.kind(),
          c.level(), c.revocable(), c.trust());
    }
    certifications.add(c);
    return this;
  }

  /** Convenience for tests: a generic certification of {@code userId} made at {@code at}. */
  public NetworkBuilder certify(String issuer, String target, String userId, Instant at) {
    return addCertification(Certification.of(issuer, target, userId, at));
  }

  /** The nodes added so far, in order (for adapters that stage input). */
  public java.util.Collection<Node> nodes() {
    return java.util.Collections.unmodifiableCollection(nodes.values());
  }

  /** The certifications added so far, in order. */
  public List<Certification> certifications() {
    return java.util.Collections.unmodifiableList(certifications);
  }

  public int nodeCount() {
    return nodes.size();
  }

  public int certificationCount() {
    return certifications.size();
  }

  /** Compiles the collected input into a compact, immutable network. */
  public Network build() {
    return Network.compile(new ArrayList<>(nodes.values()), certifications);
  }
}
