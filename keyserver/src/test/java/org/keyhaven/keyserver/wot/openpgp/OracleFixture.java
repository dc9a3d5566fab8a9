package org.keyhaven.keyserver.wot.openpgp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.keyhaven.keyserver.wot.Network;
import org.keyhaven.keyserver.wot.NetworkBuilder;
import org.keyhaven.keyserver.wot.OwnerTrust;
import org.keyhaven.keyserver.wot.WotParameters;

/**
 * One GnuPG oracle fixture set (keyring.asc, ownertrust.txt, expected.json) as written by
 * shared/wot-oracle/wot_oracle.py; see src/test/resources/vectors/wot/README.md.
 */
public record OracleFixture(String name, Path dir) {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String toString() {
    return name;
  }

  /** The committed sets plus, when shared/ is beside the repository, every out-* set there. */
  public static Stream<OracleFixture> all() {
    List<OracleFixture> out = new ArrayList<>();
    Path committed = Path.of("src/test/resources/vectors/wot");
    out.addAll(scan(committed, "vectors/"));
    Path shared = sharedOracleDir();
    if (shared != null) {
      // shared sets that are byte-identical copies of committed ones would only run twice
      java.util.Set<String> seen = new java.util.HashSet<>();
      out.forEach(f -> seen.add(f.keyringDigest()));
      scan(shared, "shared/").stream().filter(f -> seen.add(f.keyringDigest())).forEach(out::add);
    }
    return out.stream();
  }

  /** {@code ../../shared/wot-oracle} from the module directory, if it exists. */
  public static Path sharedOracleDir() {
    for (Path p : List.of(Path.of("../../shared/wot-oracle"), Path.of("../shared/wot-oracle"))) {
      if (Files.isRegularFile(p.resolve("wot_oracle.py"))) {
        return p.toAbsolutePath().normalize();
      }
    }
    return null;
  }

  static List<OracleFixture> scan(Path root, String prefix) {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> dirs = Files.list(root)) {
      return dirs.filter(d -> Files.isRegularFile(d.resolve("expected.json")))
          .filter(d -> Files.isRegularFile(d.resolve("keyring.asc")))
          .sorted()
          .map(d -> new OracleFixture(prefix + d.getFileName(), d))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SHA-256 of keyring.asc, hex. */
  String keyringDigest() {
    try {
      byte[] d = java.security.MessageDigest.getInstance("SHA-256")
          .digest(Files.readAllBytes(dir.resolve("keyring.asc")));
      return java.util.HexFormat.of().formatHex(d);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public JsonNode expected() {
    try {
      return JSON.readTree(dir.resolve("expected.json").toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Network network() {
    try (InputStream in = Files.newInputStream(dir.resolve("keyring.asc"))) {
      return KeyringNetworkReader.addAll(new NetworkBuilder(), KeyringNetworkReader.read(in))
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code FPR:code:} lines; comments and blank lines skipped. */
  public Map<String, OwnerTrust> ownerTrust() {
    try {
      Map<String, OwnerTrust> out = new LinkedHashMap<>();
      for (String line : Files.readAllLines(dir.resolve("ownertrust.txt"))) {
        String l = line.trim();
        if (l.isEmpty() || l.startsWith("#")) {
          continue;
        }
        String[] f = l.split(":");
        out.put(f[0], OwnerTrust.ofCode(Integer.parseInt(f[1])));
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public WotParameters parameters() {
    JsonNode e = expected();
    JsonNode p = e.get("parameters");
    return new WotParameters(
        p.get("completes_needed").asInt(),
        p.get("marginals_needed").asInt(),
        p.get("max_cert_depth").asInt(),
        p.get("min_cert_level").asInt(),
        Instant.ofEpochSecond(e.get("evaluated_at").asLong()));
  }
}
