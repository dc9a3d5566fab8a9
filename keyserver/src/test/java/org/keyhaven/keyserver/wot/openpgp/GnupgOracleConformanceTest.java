package org.keyhaven.keyserver.wot.openpgp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.keyhaven.keyserver.wot.DepthStats;
import org.keyhaven.keyserver.wot.KeyValidity;
import org.keyhaven.keyserver.wot.Network;
import org.keyhaven.keyserver.wot.ValidityCalculator;
import org.keyhaven.keyserver.wot.WotResult;

/**
 * For every GnuPG oracle fixture set, our validity must equal GnuPG's letter for letter: every
 * key, every user ID, and GnuPG's per-depth summary line.
 */
public class GnupgOracleConformanceTest {

  private static final Pattern DEPTH =
      Pattern.compile("depth:\\s*(\\d+)\\s+valid:\\s*(\\d+)\\s+signed:\\s*(\\d+)");

  static Stream<OracleFixture> fixtures() {
    return OracleFixture.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void evaluate_matchesGnupgForEveryKeyAndUserId(OracleFixture fixture) {
    assertMatchesGnupg(fixture);
  }

  /** Asserts that our answer for {@code fixture} equals GnuPG's, and prints the match counts. */
  static void assertMatchesGnupg(OracleFixture fixture) {
    assertMatchesGnupg(fixture, fixture.network());
  }

  /** The same, for a network built from {@code fixture}'s keyring some other way. */
  public static void assertMatchesGnupg(OracleFixture fixture, Network network) {
    JsonNode expected = fixture.expected();
    WotResult result =
        ValidityCalculator.evaluate(network, fixture.ownerTrust(), fixture.parameters());

    List<String> mismatches = new ArrayList<>();
    int keys = 0;
    int uids = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("keys").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String fpr = e.getKey();
      JsonNode want = e.getValue();
      KeyValidity got = result.key(fpr).orElse(null);
      if (got == null) {
        mismatches.add(fpr + " (" + want.get("label").asText() + ") missing");
        continue;
      }
      keys++;
      String wantKey = want.get("validity_letter").asText();
      if (!wantKey.equals(String.valueOf(got.validity().letter()))) {
        mismatches.add(String.format("%s (%s): key %s, GnuPG %s", fpr, want.get("label").asText(),
            got.validity().letter(), wantKey));
      }
      Map<String, Character> gotUids = new HashMap<>();
      got.userIds().forEach(u -> gotUids.put(u.userId(), u.validity().letter()));
      for (JsonNode u : want.get("uids")) {
        String uid = u.get("uid").asText();
        uids++;
        String letter = u.get("validity_letter").asText();
        Character mine = gotUids.get(uid);
        if (mine == null || !letter.equals(String.valueOf(mine))) {
          mismatches.add(String.format("%s uid '%s': %s, GnuPG %s", want.get("label").asText(),
              uid, mine, letter));
        }
      }
      assertThat(got.userIds()).as("user IDs of %s", fpr).hasSize(want.get("uids").size());
    }
    System.out.printf("[wot-conformance] %s: %d/%d keys and %d user IDs match GnuPG%n",
        fixture.name(), keys - countKeyMismatches(mismatches), expected.get("keys").size(), uids);
    assertThat(mismatches).as("differences from GnuPG in " + fixture.name()).isEmpty();
    assertThat(network.keyCount()).isEqualTo(expected.get("keys").size());

    List<DepthStats> wantStats = new ArrayList<>();
    for (JsonNode line : expected.get("check_trustdb_summary")) {
      Matcher m = DEPTH.matcher(line.asText());
      assertThat(m.find()).as(line.asText()).isTrue();
      wantStats.add(new DepthStats(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
          Integer.parseInt(m.group(3))));
    }
    assertThat(result.depthStats()).isEqualTo(wantStats);
  }

  private static int countKeyMismatches(List<String> mismatches) {
    return (int) mismatches.stream().filter(s -> s.contains(": key ")).count();
  }
}
