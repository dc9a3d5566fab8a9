package org.keyhaven.server;

import org.keyhaven.server.cli.CliException;
import org.keyhaven.server.cli.KeyhavenCommand;
import org.keyhaven.common.PkiException;
import picocli.CommandLine;

/** Entry point of the {@code keyhaven} launcher. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The {@code keyhaven} command line with its error handling (also what CLI tests run). */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new KeyhavenCommand());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof CliException || e instanceof PkiException) {
        cmd.getErr().println("keyhaven: " + e.getMessage());
        return 1;
      }
      // Anything else (a port in use, an unreachable database): one line naming the root cause;
      // the stack trace only on request.
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      cmd.getErr().println("keyhaven: " + e.getMessage()
          + (root != e ? " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")" : ""));
      if (System.getenv("KEYHAVEN_DEBUG") != null) {
        e.printStackTrace(cmd.getErr());
      }
      return 1;
    });
    return cli;
  }
}
