package org.keyhaven.directory.ldap;

import com.unboundid.ldap.sdk.Entry;

/**
 * Told about every person entry the publisher writes, with the entry's full content afterwards.
 * The embedded directory keeps a read model of ou=people with it, to answer the mail clients'
 * lookups without the in-memory server's per-search cost (docs/DIRECTORY.md, "Search path").
 */
public interface PersonMirror {
  /** The entry at {@code entry.getDN()} now holds exactly these user attributes. */
  void put(Entry entry);

  /** The entry at {@code dn} is gone. */
  void remove(String dn);

  PersonMirror NONE = new PersonMirror() {
    @Override
    public void put(Entry entry) {}

    @Override
    public void remove(String dn) {}
  };
}
