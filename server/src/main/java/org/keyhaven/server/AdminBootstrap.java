package org.keyhaven.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.keyhaven.server.auth.Role;
import org.keyhaven.server.auth.TokenService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First start: creates the first admin token and writes it to {@code <data-dir>/admin-token} with
 * mode 0600. The log names the file, never the token.
 */
final class AdminBootstrap {
  private static final Logger LOG = LoggerFactory.getLogger(AdminBootstrap.class);
  static final String TOKEN_FILE = "admin-token";

  private AdminBootstrap() {}

  static void ensureAdminToken(TokenService tokens, Path dataDir) {
    if (!tokens.none()) {
      return;
    }
    var issued = tokens.create("bootstrap-admin", Role.ADMIN, "system");
    Path file = dataDir.resolve(TOKEN_FILE);
    writeSecret(file, issued.secret() + "\n");
    LOG.info("created the first admin token; it is in {} (mode 0600)", file.toAbsolutePath());
  }

  /** Writes a file readable only by its owner, created with that mode (no window of exposure). */
  static void writeSecret(Path file, String content) {
    try {
      Files.deleteIfExists(file);
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, content, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file, e);
    }
  }
}
