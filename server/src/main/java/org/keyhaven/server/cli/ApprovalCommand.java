package org.keyhaven.server.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code keyhaven approvals list|approve|reject}: the two-person rule of high assurance. */
@Command(name = "approvals", mixinStandardHelpOptions = true,
    description = "Approve or reject pending high-assurance issuance (needs a second admin token).",
    subcommands = {ApprovalCommand.ListApprovals.class, ApprovalCommand.Approve.class,
        ApprovalCommand.Reject.class})
public final class ApprovalCommand {

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List approvals.")
  static final class ListApprovals implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Option(names = "--status", defaultValue = "pending", description = "pending, approved, rejected.")
    String status;

    @Override
    public Integer call() {
      var api = client.client();
      var j = api.expectOk(api.get("/api/v1/approvals?status=" + CertCommand.segment(status))).json();
      System.out.printf("%-6s %-12s %-14s %-9s %-20s %s%n", "ID", "CA", "PROFILE", "STATUS",
          "REQUESTED BY", "SUBJECT");
      for (var a : j.get("approvals")) {
        System.out.printf("%-6s %-12s %-14s %-9s %-20s %s%n", a.get("id").asText(),
            a.get("ca").asText(), a.get("profile").asText(), a.get("status").asText(),
            a.get("requestedBy").asText(), a.get("subject").asText());
      }
      return 0;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve and issue; prints the certificate and chain.")
  static final class Approve implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "Approval id.") long id;

    @Override
    public Integer call() {
      var api = client.client();
      var j = api.expectOk(api.postJson("/api/v1/approvals/" + id + "/approve", Map.of())).json();
      System.out.print(j.get("certificate").asText());
      for (var c : j.get("chain")) {
        System.out.print(c.asText());
      }
      return 0;
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject an approval.")
  static final class Reject implements Callable<Integer> {
    @Mixin ClientOptions client;
    @Parameters(index = "0", description = "Approval id.") long id;
    @Option(names = "--reason") String reason;

    @Override
    public Integer call() {
      var api = client.client();
      api.expectOk(api.postJson("/api/v1/approvals/" + id + "/reject",
          Map.of("reason", reason == null ? "" : reason)));
      System.out.println("rejected " + id);
      return 0;
    }
  }
}
