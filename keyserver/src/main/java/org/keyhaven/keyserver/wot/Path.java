package org.keyhaven.keyserver.wot;

import java.util.List;

/** A chain of certifications from {@link #root()} to {@link #target()}, in order. */
public record Path(List<Hop> hops) {

  public Path {
    hops = List.copyOf(hops);
    if (hops.isEmpty()) {
      throw new IllegalArgumentException("a path has at least one hop");
    }
  }

  public String root() {
    return hops.get(0).signer();
  }

  public String target() {
    return hops.get(hops.size() - 1).target();
  }

  public int length() {
    return hops.size();
  }
}
