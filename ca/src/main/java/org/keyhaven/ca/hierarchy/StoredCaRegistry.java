package org.keyhaven.ca.hierarchy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x500.X500Name;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.keys.CaKeys;
import org.keyhaven.ca.store.CaStore;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.PkiException;

/**
 * {@link CaRegistry} over the {@link CaStore}, caching CA rows and opened signers (a software key
 * is decrypted once, on first use).
 */
public final class StoredCaRegistry implements CaRegistry {
  private final CaStore store;
  private final CaKeys keys;
  private volatile List<CaNode> nodes;
  private final Map<CaId, CaSigner> signers = new ConcurrentHashMap<>();

  public StoredCaRegistry(CaStore store, CaKeys keys) {
    this.store = store;
    this.keys = keys;
  }

  /** Re-reads the CA table (after a CA was added, possibly by another node). */
  public void refresh() {
    nodes = List.copyOf(store.all());
  }

  /** Registers the signer of a CA just created, so its key is not decrypted again. */
  public void remember(CaId id, CaSigner signer) {
    signers.put(id, signer);
    refresh();
  }

  private List<CaNode> nodes() {
    List<CaNode> n = nodes;
    if (n == null) {
      refresh();
      n = nodes;
    }
    return n;
  }

  @Override
  public Optional<CaNode> find(CaId id) {
    Optional<CaNode> hit = nodes().stream().filter(n -> n.id().equals(id)).findFirst();
    if (hit.isEmpty()) {
      refresh();
      hit = nodes().stream().filter(n -> n.id().equals(id)).findFirst();
    }
    return hit;
  }

  @Override
  public Optional<CaNode> findBySubject(X500Name subject) {
    return nodes().stream().filter(n -> n.subject().equals(subject)).findFirst();
  }

  @Override
  public Optional<CaNode> findByKeyHash(Bytes sha1KeyHash) {
    return nodes().stream().filter(n -> n.keyHash().equals(sha1KeyHash)).findFirst();
  }

  @Override
  public List<CaNode> all() {
    return nodes();
  }

  @Override
  public List<CaNode> chain(CaId id) {
    List<CaNode> out = new ArrayList<>();
    Optional<CaNode> cur = find(id);
    if (cur.isEmpty()) {
      throw PkiException.notFound("no CA '%s'", id);
    }
    while (cur.isPresent() && out.size() < 32) {
      CaNode n = cur.get();
      out.add(n);
      cur = n.parent().flatMap(this::find);
    }
    return out;
  }

  @Override
  public CaSigner signer(CaId id) {
    CaSigner s = signers.get(id);
    if (s != null) {
      return s;
    }
    CaNode node = find(id).orElseThrow(() -> PkiException.notFound("no CA '%s'", id));
    return signers.computeIfAbsent(id, k -> keys.open(node.key(), node.certificateHolder()));
  }
}
