package org.keyhaven.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.keyhaven.server.cli.KeyhavenCommand;
import picocli.CommandLine;

/** The CLI as a client of the REST API: token and audit commands against a running server. */
class CliTest {
  static TestServer srv;

  @BeforeAll
  static void start() {
    srv = TestServer.start();
  }

  @AfterAll
  static void stop() {
    srv.close();
  }

  static CliRunner.Run run(String... args) {
    return CliRunner.run(args);
  }

  @Test
  void tokenCreateListRevoke_usesTokenFromDataDir() {
    String[] conn = {"--server", srv.base, "--data-dir", srv.dataDir.toString()};
    CliRunner.Run created = run(concat(new String[] {"token", "create", "--role", "ra", "--name", "cli-ra"}, conn));
    assertThat(created.exit()).isZero();
    assertThat(created.out().strip()).startsWith("kh_");
    CliRunner.Run list = run(concat(new String[] {"token", "list"}, conn));
    assertThat(list.out()).contains("cli-ra").contains("bootstrap-admin").doesNotContain(created.out().strip());
    assertThat(run(concat(new String[] {"token", "revoke", "cli-ra"}, conn)).exit()).isZero();
    CliRunner.Run again = run(concat(new String[] {"token", "revoke", "cli-ra"}, conn));
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("409").contains("already revoked");
  }

  @Test
  void auditVerify_reportsIntactChain_andWrongRoleIsRefused() {
    CliRunner.Run ok = run("audit", "verify", "--server", srv.base, "--data-dir", srv.dataDir.toString());
    assertThat(ok.exit()).isZero();
    assertThat(ok.out()).contains("audit chain intact");
    String ra = srv.token("cli-ra2", "ra");
    CliRunner.Run refused = run("audit", "verify", "--server", srv.base, "--token", ra);
    assertThat(refused.exit()).isEqualTo(1);
    assertThat(refused.err()).contains("403");
  }

  @Test
  void everyCommandHasHelp() {
    CommandLine root = new CommandLine(new KeyhavenCommand());
    assertHelp(root);
  }

  private static void assertHelp(CommandLine cmd) {
    assertThat(cmd.getCommandSpec().optionsMap()).as(cmd.getCommandName()).containsKey("--help");
    for (CommandLine sub : cmd.getSubcommands().values()) {
      assertHelp(sub);
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
