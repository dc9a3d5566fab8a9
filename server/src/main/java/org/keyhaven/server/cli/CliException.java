package org.keyhaven.server.cli;

/** A CLI failure with a message for the user; the CLI prints it and exits 1. */
public final class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }
}
