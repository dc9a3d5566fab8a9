package org.keyhaven.server;

import org.keyhaven.server.cli.CliException;
import org.keyhaven.server.cli.KeyhavenCommand;
import org.keyhaven.common.PkiException;
import picocli.CommandLine;

/** Entry point of the {@code keyhaven} launcher. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new KeyhavenCommand());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof CliException || e instanceof PkiException) {
        cmd.getErr().println("keyhaven: " + e.getMessage());
        return 1;
      }
      throw e;
    });
    System.exit(cli.execute(args));
  }
}
