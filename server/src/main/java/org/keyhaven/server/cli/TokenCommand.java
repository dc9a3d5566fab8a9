package org.keyhaven.server.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keyhaven token create|list|revoke}. */
@Command(name = "token", mixinStandardHelpOptions = true, description = "Manage API tokens.",
    subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand {

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a token; it is printed once and never again.")
  static final class Create implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--role", required = true, description = "admin, ra or auditor") String role;
    @Option(names = "--name", required = true, description = "Unique token name (the audit actor).") String name;

    @Override
    public Integer call() {
      var api = client.client();
      var r = api.expectOk(api.postJson("/api/v1/tokens", Map.of("name", name, "role", role)));
      System.out.println(r.json().get("token").asText());
      return 0;
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List tokens (never their secrets).")
  static final class ListTokens implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      var api = client.client();
      var r = api.expectOk(api.get("/api/v1/tokens"));
      System.out.printf("%-30s %-8s %-28s %s%n", "NAME", "ROLE", "CREATED", "REVOKED");
      for (var t : r.json()) {
        System.out.printf("%-30s %-8s %-28s %s%n", t.get("name").asText(),
            t.get("role").asText().toLowerCase(java.util.Locale.ROOT), t.get("createdAt").asText(),
            t.get("revokedAt").isNull() ? "-" : t.get("revokedAt").asText());
      }
      return 0;
    }
  }

  @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke a token by name.")
  static final class Revoke implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "Token name.") String name;

    @Override
    public Integer call() {
      var api = client.client();
      api.expectOk(api.delete("/api/v1/tokens/" + java.net.URLEncoder.encode(name, java.nio.charset.StandardCharsets.UTF_8)));
      System.out.println("revoked " + name);
      return 0;
    }
  }
}
