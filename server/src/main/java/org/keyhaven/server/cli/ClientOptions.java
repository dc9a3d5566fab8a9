package org.keyhaven.server.cli;

import picocli.CommandLine.Option;

/** Options every API-client command shares (mixed in with {@code @Mixin}). */
public final class ClientOptions {
  @Option(names = "--server", defaultValue = "${env:KEYHAVEN_SERVER:-http://127.0.0.1:8080}",
      description = "Keyhaven server URL (default: ${DEFAULT-VALUE}).")
  String server;

  @Option(names = "--token", description = "API token (default: $KEYHAVEN_TOKEN, then <data-dir>/admin-token).")
  String token;

  @Option(names = "--data-dir", defaultValue = "${env:KEYHAVEN_DATA_DIR:-./data}",
      description = "Data directory holding admin-token (default: ${DEFAULT-VALUE}).")
  String dataDir;

  public ApiClient client() {
    return ApiClient.from(this);
  }
}
