package org.keyhaven.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keyhaven wot roots|key|paths|stats|evaluate}: the web-of-trust API (docs/WOT.md). */
@Command(name = "wot", mixinStandardHelpOptions = true,
    description = "Web of trust: GnuPG-exact validity, trust paths, the server's trust root.",
    subcommands = {WotCommand.Roots.class, WotCommand.Key.class, WotCommand.Paths.class,
        WotCommand.Stats.class, WotCommand.Evaluate.class})
public final class WotCommand {

  private static final Map<Integer, String> CODES = Map.of(2, "undefined", 3, "never",
      4, "marginal", 5, "full", 6, "ultimate");

  /**
   * Reads assignments from {@code FPR=word} arguments and/or a {@code gpg --export-ownertrust}
   * file ({@code FPR:code:} lines).
   */
  static Map<String, String> assignments(List<String> args, Path file) {
    Map<String, String> out = new LinkedHashMap<>();
    if (file != null) {
      try {
        for (String line : Files.readAllLines(file)) {
          String l = line.strip();
          if (l.isEmpty() || l.startsWith("#")) {
            continue;
          }
          String[] f = l.split(":");
          String word = f.length > 1 ? CODES.get(parseCode(f[1], l)) : null;
          if (word == null) {
            throw new CliException("not an owner-trust line (FPR:2..6:): " + l);
          }
          out.put(f[0], word);
        }
      } catch (IOException e) {
        throw new CliException("cannot read " + file + ": " + e.getMessage());
      }
    }
    for (String a : args == null ? List.<String>of() : args) {
      int eq = a.indexOf('=');
      if (eq <= 0) {
        throw new CliException("expected FINGERPRINT=TRUST (ultimate, full, marginal, never,"
            + " undefined), got " + a);
      }
      out.put(a.substring(0, eq), a.substring(eq + 1));
    }
    return out;
  }

  private static int parseCode(String s, String line) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      throw new CliException("not an owner-trust line (FPR:2..6:): " + line);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  @Command(name = "roots", mixinStandardHelpOptions = true,
      description = "Show or set the server-wide trust root (owner-trust assignments).",
      subcommands = {Roots.Show.class, Roots.Set.class})
  static final class Roots {

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Print the root.")
    static final class Show implements Callable<Integer> {
      @Mixin ClientOptions client;

      @Override
      public Integer call() {
        var api = client.client();
        JsonNode n = api.expectOk(api.get("/api/v1/wot/roots")).json().get("ownertrust");
        n.fields().forEachRemaining(e ->
            System.out.println(e.getKey() + " " + e.getValue().asText()));
        return 0;
      }
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
        description = "Replace the root (admin; audited). Keys not named get unknown trust.")
    static final class Set implements Callable<Integer> {
      @Mixin ClientOptions client;

      @Option(names = "--file", description = "gpg --export-ownertrust file (FPR:code: lines).")
      Path file;

      @Parameters(description = "FINGERPRINT=TRUST pairs (ultimate, full, marginal, never,"
          + " undefined).", arity = "0..*")
      List<String> pairs;

      @Override
      public Integer call() {
        Map<String, String> a = assignments(pairs, file);
        if (a.isEmpty()) {
          throw new CliException("give FINGERPRINT=TRUST pairs or --file");
        }
        var api = client.client();
        JsonNode n = api.expectOk(api.postJson("/api/v1/wot/roots", Map.of("ownertrust", a)))
            .json().get("ownertrust");
        System.out.println("trust root set: " + n.size() + " assignments");
        return 0;
      }
    }
  }

  @Command(name = "key", mixinStandardHelpOptions = true,
      description = "A key's validity from the server's root, and why.")
  static final class Key implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "Fingerprint.") String fingerprint;
    @Option(names = "--json", description = "Print the full JSON answer.") boolean json;

    @Override
    public Integer call() {
      var api = client.client();
      JsonNode n = api.expectOk(api.get("/api/v1/wot/keys/" + enc(fingerprint))).json();
      if (json) {
        Output.json(n);
        return 0;
      }
      System.out.println(n.get("fingerprint").asText() + " " + n.get("validity").asText());
      n.get("userIds").forEach(u ->
          System.out.println("  uid " + u.get("validity").asText() + " " + u.get("uid").asText()));
      n.get("certifiedBy").forEach(h ->
          System.out.println("  certified by " + h.get("signer").asText()));
      return 0;
    }
  }

  @Command(name = "paths", mixinStandardHelpOptions = true,
      description = "Shortest certification paths between two keys.")
  static final class Paths implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "From fingerprint.") String from;
    @Parameters(index = "1", description = "To fingerprint.") String to;
    @Option(names = "--max", defaultValue = "5", description = "Maximum hops (1-10).") int max;

    @Override
    public Integer call() {
      var api = client.client();
      JsonNode n = api.expectOk(api.get("/api/v1/wot/paths?from=" + enc(from) + "&to=" + enc(to)
          + "&max=" + max)).json().get("paths");
      if (n.isEmpty()) {
        System.out.println("no path of at most " + max + " certifications");
        return 1;
      }
      n.forEach(p -> {
        StringBuilder sb = new StringBuilder();
        p.get("hops").forEach(h -> sb.append(h.get("signer").asText()).append(" -> "));
        sb.append(to.toUpperCase(java.util.Locale.ROOT));
        System.out.println(sb);
      });
      return 0;
    }
  }

  @Command(name = "stats", mixinStandardHelpOptions = true, description = "Graph statistics.")
  static final class Stats implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      var api = client.client();
      Output.json(api.expectOk(api.get("/api/v1/wot/stats")).json());
      return 0;
    }
  }

  @Command(name = "evaluate", mixinStandardHelpOptions = true,
      description = "Validity of keys from your own root (nothing is stored).")
  static final class Evaluate implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Option(names = "--ownertrust", description = "gpg --export-ownertrust file.") Path file;
    @Option(names = "--trust", description = "FINGERPRINT=TRUST (repeatable).") List<String> pairs;
    @Option(names = "--key", description = "Only these keys (repeatable).") List<String> keys;
    @Option(names = "--at", description = "Evaluation time (RFC 3339).") String at;

    @Override
    public Integer call() {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("ownertrust", assignments(pairs, file));
      if (keys != null) {
        body.put("keys", keys);
      }
      if (at != null) {
        body.put("at", at);
      }
      var api = client.client();
      JsonNode n = api.expectOk(api.postJson("/api/v1/wot/evaluate", body)).json().get("keys");
      n.fields().forEachRemaining(e ->
          System.out.println(e.getKey() + " " + e.getValue().get("validity").asText()));
      return 0;
    }
  }
}
