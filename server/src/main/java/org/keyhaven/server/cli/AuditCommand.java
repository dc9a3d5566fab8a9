package org.keyhaven.server.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code keyhaven audit list|verify}. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read and verify the audit log.",
    subcommands = {AuditCommand.ListEntries.class, AuditCommand.Verify.class})
public final class AuditCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Print audit entries, oldest first.")
  static final class ListEntries implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--after", defaultValue = "0", description = "Only entries after this sequence number.") long after;
    @Option(names = "--limit", defaultValue = "100", description = "At most this many entries (max 1000).") int limit;

    @Override
    public Integer call() {
      var api = client.client();
      var r = api.expectOk(api.get("/api/v1/audit?after=" + after + "&limit=" + limit));
      for (var e : r.json().get("entries")) {
        System.out.printf("%6d %s %-20s %-18s %-8s %s%s%n", e.get("seq").asLong(), e.get("at").asText(),
            e.get("actor").asText(), e.get("action").asText(), e.get("outcome").asText(),
            e.get("target").asText(), e.get("detail").isNull() ? "" : " (" + e.get("detail").asText() + ")");
      }
      return 0;
    }
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      description = "Check the hash chain; exit 1 and name the first broken link if any.")
  static final class Verify implements Callable<Integer> {
    @Mixin ClientOptions client;

    @Override
    public Integer call() {
      var api = client.client();
      var r = api.expectOk(api.get("/api/v1/audit/verify")).json();
      if (r.get("intact").asBoolean()) {
        System.out.println("audit chain intact: " + r.get("entries").asLong() + " entries");
        return 0;
      }
      System.out.println("audit chain BROKEN at entry " + r.get("firstBrokenSeq").asLong() + ": "
          + r.get("problem").asText());
      return 1;
    }
  }
}
