package org.keyhaven.recipients;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ParsedFactsTest {
  private final AtomicInteger parses = new AtomicInteger();

  private String parse(byte[] b) {
    parses.incrementAndGet();
    return new String(b, StandardCharsets.UTF_8);
  }

  @Test
  void get_sameBytes_parsesOnce() {
    ParsedFacts<String> facts = new ParsedFacts<>(10);
    assertThat(facts.get("k", "one".getBytes(StandardCharsets.UTF_8), this::parse)).isEqualTo("one");
    assertThat(facts.get("k", "one".getBytes(StandardCharsets.UTF_8), this::parse)).isEqualTo("one");
    assertThat(parses).hasValue(1);
  }

  @Test
  void get_changedBytes_parsesAgain() {
    ParsedFacts<String> facts = new ParsedFacts<>(10);
    facts.get("k", "one".getBytes(StandardCharsets.UTF_8), this::parse);
    assertThat(facts.get("k", "two".getBytes(StandardCharsets.UTF_8), this::parse)).isEqualTo("two");
    assertThat(parses).hasValue(2);
  }

  @Test
  void get_pastTheBound_startsOver() {
    ParsedFacts<String> facts = new ParsedFacts<>(2);
    for (String k : new String[] {"a", "b", "c"}) {
      facts.get(k, k.getBytes(StandardCharsets.UTF_8), this::parse);
    }
    assertThat(facts.size()).isEqualTo(1);
  }
}
