package org.keyhaven.ca.store;

import java.util.List;

/** One page of results; {@code nextOffset} is null on the last page. */
public record Page<T>(List<T> items, Integer nextOffset) {
  public Page {
    items = List.copyOf(items);
  }
}
