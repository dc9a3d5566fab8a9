package org.keyhaven.keyserver;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.keyhaven.keyserver.openpgp.Armor;
import org.keyhaven.keyserver.store.KeyringStore;

/** Finds stored keys and renders them as the serve policy says (third-party certifications). */
public final class KeyLookup {
  private final KeyringStore store;
  private final KeyserverPolicy policy;

  public KeyLookup(KeyringStore store, KeyserverPolicy policy) {
    this.store = store;
    this.policy = policy;
  }

  /** Keys matching {@code query}; at most the policy's search limit. Empty when none match. */
  public List<StoredKeyring> find(KeyQuery query) {
    if (query instanceof KeyQuery.ByHash h && h.firstPartyForm() == policy.serveThirdParty()) {
      // A hash names the bytes a client was served, so look it up in the form this policy serves.
      query = new KeyQuery.ByHash(h.hash(), !policy.serveThirdParty());
    }
    return store.search(query, policy.maxSearchResults());
  }

  /**
   * Keys with a user ID for each of {@code emails}, keyed by the lower-cased address (absent when
   * none): {@link #find} with {@link KeyQuery.ByEmail} for many addresses in a few queries.
   */
  public java.util.Map<String, List<StoredKeyring>> findByEmails(
      java.util.Collection<String> emails) {
    return store.searchByEmails(emails, policy.maxSearchResults());
  }

  /** The binary key material served for one key under the serve policy. */
  public byte[] servedBytes(StoredKeyring key) {
    return (policy.serveThirdParty() ? key.served() : key.firstParty()).toByteArray();
  }

  /** The SKS key hash of what is served for {@code key} ({@code op=hget} finds it by this). */
  public String sksHash(StoredKeyring key) {
    return org.keyhaven.keyserver.openpgp.SksKeyHash.of(servedBytes(key));
  }

  /** One armored PUBLIC KEY BLOCK holding all {@code keys}, as {@code op=get} returns. */
  public String armored(List<StoredKeyring> keys) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (StoredKeyring k : keys) {
      out.writeBytes(servedBytes(k));
    }
    return Armor.encodePublicKeys(out.toByteArray());
  }

  public long count() {
    return store.count();
  }
}
