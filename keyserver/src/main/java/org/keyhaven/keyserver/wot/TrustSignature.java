package org.keyhaven.keyserver.wot;

/**
 * The trust-signature part of a certification (RFC 4880 §5.2.3.13/§5.2.3.14): depth, amount and an
 * optional regular expression. Recorded by the model; the classic validity computation ignores it,
 * as GnuPG's classic model does (see docs/WOT.md).
 */
public record TrustSignature(int depth, int amount, String regex) {

  public TrustSignature {
    if (depth < 0 || depth > 255 || amount < 0 || amount > 255) {
      throw org.keyhaven.common.PkiException.malformed(
          "trust signature depth/amount out of range: %d/%d", depth, amount);
    }
  }
}
