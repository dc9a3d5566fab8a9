package org.keyhaven.keyserver.hkp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keyhaven.common.Bytes;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.Fingerprint;
import org.keyhaven.keyserver.KeyId;
import org.keyhaven.keyserver.KeyIndex;
import org.keyhaven.keyserver.KeyQuery;
import org.keyhaven.keyserver.StoredKeyring;

class HkpRequestParserTest {
  static final String FPR = "32051F793593DA3270E2E5C2696D8EE90934DCAC";

  static Map<String, List<String>> params(String... kv) {
    Map<String, List<String>> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], List.of(kv[i + 1]));
    }
    return m;
  }

  static Stream<Arguments> good() {
    return Stream.of(
        Arguments.of("dirmngr get by fpr", params("op", "get", "options", "mr", "search",
            "0x" + FPR), new KeyQuery.ByFingerprint(Fingerprint.parse(FPR))),
        Arguments.of("lower-case fpr without 0x", params("op", "get", "search",
            FPR.toLowerCase()), new KeyQuery.ByFingerprint(Fingerprint.parse(FPR))),
        Arguments.of("long key id", params("op", "get", "search", "0x696D8EE90934DCAC"),
            new KeyQuery.ByKeyId(KeyId.parse("696D8EE90934DCAC"))),
        Arguments.of("short key id", params("op", "get", "search", "0x0934DCAC"),
            new KeyQuery.ByShortKeyId(0x0934DCACL)),
        Arguments.of("email exact", params("op", "get", "search", "Ed5@Example.org", "exact",
            "on"), new KeyQuery.ByEmail("ed5@example.org")),
        Arguments.of("email in brackets", params("op", "index", "search", "<a@b.example>"),
            new KeyQuery.ByEmail("a@b.example")),
        Arguments.of("name substring", params("op", "index", "options", "mr", "fingerprint",
            "on", "search", "Ed User"), new KeyQuery.ByUserId("Ed User", false)),
        Arguments.of("name exact", params("op", "index", "search", "Ed User", "exact", "on"),
            new KeyQuery.ByUserId("Ed User", true)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("good")
  void parse_accepts(String name, Map<String, List<String>> p, KeyQuery expected) {
    assertThat(HkpRequestParser.parse(p).query()).isEqualTo(expected);
  }

  @Test
  void parse_hget_takesAnSksHashInEitherCase() {
    HkpRequest r = HkpRequestParser.parse(params("op", "hget", "options", "mr", "search",
        "e1ae6c5e0431176546d6f67035882156"));
    assertThat(r.op()).isEqualTo(HkpOp.HGET);
    assertThat(r.query()).isEqualTo(new KeyQuery.ByHash("E1AE6C5E0431176546D6F67035882156",
        false));
  }

  static Stream<Arguments> bad() {
    return Stream.of(
        Arguments.of("missing op", params("search", "x"), ErrorKind.MALFORMED),
        Arguments.of("unknown op", params("op", "foo", "search", "abc"), ErrorKind.MALFORMED),
        Arguments.of("hget without a hash", params("op", "hget", "search", "abc"),
            ErrorKind.MALFORMED),
        Arguments.of("hget with a fingerprint", params("op", "hget", "search", "0x"
            + "0123456789abcdef0123456789abcdef01234567"), ErrorKind.MALFORMED),
        Arguments.of("x- op", params("op", "x-frob", "search", "abc"), ErrorKind.UNSUPPORTED),
        Arguments.of("missing search", params("op", "get"), ErrorKind.MALFORMED),
        Arguments.of("blank search", params("op", "get", "search", "  "), ErrorKind.MALFORMED),
        Arguments.of("odd hex length", params("op", "get", "search", "0x123"),
            ErrorKind.MALFORMED),
        Arguments.of("v3 fingerprint", params("op", "get", "search", "0x"
            + "0123456789abcdef0123456789abcdef"), ErrorKind.UNSUPPORTED),
        Arguments.of("0x non-hex", params("op", "get", "search", "0xzz"), ErrorKind.MALFORMED),
        Arguments.of("too short text", params("op", "index", "search", "ab"),
            ErrorKind.MALFORMED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bad")
  void parse_refuses(String name, Map<String, List<String>> p, ErrorKind kind) {
    assertThatThrownBy(() -> HkpRequestParser.parse(p)).isInstanceOf(PkiException.class)
        .extracting(e -> ((PkiException) e).kind()).isEqualTo(kind);
  }

  /** Fuzz finding (hkpQuery crash-6dc9655f…): the echoed op must not break the one-line detail. */
  @Test
  void unknownOrUnsupportedOp_echoedWithoutLineBreaks() {
    assertThatThrownBy(() -> HkpRequestParser.parse(params("op", "g\u0000et\n0x127<\r\u2028", "search",
        "x")))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED);
          assertThat(e.detail()).doesNotContain("\n", "\r", "\u0000", "\u2028").contains("g?et?0x127<");
        });
    assertThatThrownBy(() -> HkpRequestParser.parse(params("op", "x-evil\nline", "search", "x")))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
          assertThat(e.detail()).doesNotContain("\n").contains("x-evil?line");
        });
  }

  @Test
  void parse_options() {
    HkpRequest r = HkpRequestParser.parse(params("op", "x-stats", "options", "MR,nm"));
    assertThat(r.op()).isEqualTo(HkpOp.STATS);
    assertThat(r.machineReadable()).isTrue();
    assertThat(r.noModify()).isTrue();
    assertThat(r.query()).isNull();
  }

  @Test
  void indexWriter_matchesDraftFormatExactly() {
    Instant created = Instant.ofEpochSecond(1735689600);
    KeyIndex ix = new KeyIndex(4, 22, 256, created, created.plusSeconds(100), true, List.of(
        new KeyIndex.IndexedUserId("Jörg: 100% <j@x.example>", "j@x.example", created, null,
            false, false),
        new KeyIndex.IndexedUserId("[photo]", null, created, null, false, true),
        new KeyIndex.IndexedUserId("Old <o@x.example>", "o@x.example", created,
            created.plusSeconds(5), true, false)), List.of());
    byte[] f = new byte[20];
    Arrays.fill(f, (byte) 0xAB);
    StoredKeyring k = new StoredKeyring(Fingerprint.of(f), ix, Bytes.copyOf(new byte[0]),
        Bytes.copyOf(new byte[0]), created, created);
    assertThat(HkpIndexWriter.write(List.of(k), created.plusSeconds(1000))).isEqualTo(
        "info:1:1\n"
            + "pub:ABABABABABABABABABABABABABABABABABABABAB:22:256:1735689600:1735689700:re\n"
            + "uid:J%C3%B6rg%3A 100%25 <j@x.example>:1735689600::\n"
            + "uid:Old <o@x.example>:1735689600:1735689605:re\n");
  }
}
