package org.keyhaven.ca.store;

import java.util.List;
import java.util.Optional;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.hierarchy.LinkedCertificate;
import org.keyhaven.ca.publish.PublicationEvent;

/** The CAs of this server. */
public interface CaStore {
  /**
   * Inserts a CA together with its certificate (as an issued certificate of its parent, or of
   * itself for a root) and the publication event, in one transaction. The serial must have been
   * reserved.
   *
   * @throws org.keyhaven.common.PkiException CONFLICT if the id exists
   */
  void insert(CaNode node, IssuedCertificate certificate, PublicationEvent event);

  /**
   * Inserts an imported CA (no certificate row: this server did not issue it) with the external
   * certificates linked to it and the publication event, in one transaction.
   *
   * @throws org.keyhaven.common.PkiException CONFLICT if the id, subject key or a link exists
   */
  void insertImported(CaNode node, List<LinkedCertificate> linked, PublicationEvent event);

  /**
   * Adds links (cross-certificates and their external issuers) in one transaction.
   *
   * @throws org.keyhaven.common.PkiException CONFLICT if one is already linked
   */
  void link(List<LinkedCertificate> linked);

  /** The certificates linked to CA {@code id}, by kind and position; empty if none. */
  List<LinkedCertificate> linked(CaId id);

  Optional<CaNode> find(CaId id);

  /** All CAs in creation order (parents before children). */
  List<CaNode> all();
}
