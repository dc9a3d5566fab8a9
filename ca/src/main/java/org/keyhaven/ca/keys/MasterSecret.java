package org.keyhaven.ca.keys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.keyhaven.common.PkiException;

/**
 * The secret CA keys are encrypted under: read from a configured passphrase file, or generated into
 * {@code <data-dir>/master-key} with mode 0600 on first start.
 */
public final class MasterSecret {
  public static final String FILE_NAME = "master-key";

  private final char[] passphrase;

  private MasterSecret(char[] passphrase) {
    this.passphrase = passphrase;
  }

  /** Reads {@code passphraseFile} if given, else loads or creates the data dir's master key. */
  public static MasterSecret load(Path passphraseFile, Path dataDir) {
    try {
      if (passphraseFile != null) {
        return fromFile(passphraseFile);
      }
      Path file = dataDir.resolve(FILE_NAME);
      if (!Files.exists(file)) {
        create(file);
      }
      return fromFile(file);
    } catch (IOException e) {
      throw PkiException.internal(e, "cannot read or create the CA master secret");
    }
  }

  private static MasterSecret fromFile(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8).strip();
    if (text.length() < 16) {
      throw PkiException.internal(null, "CA key passphrase in %s is shorter than 16 characters",
          file);
    }
    return new MasterSecret(text.toCharArray());
  }

  private static void create(Path file) throws IOException {
    byte[] raw = new byte[32];
    new SecureRandom().nextBytes(raw);
    String text = Base64.getEncoder().encodeToString(raw) + "\n";
    Arrays.fill(raw, (byte) 0);
    Files.createDirectories(file.toAbsolutePath().getParent());
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException raced) {
      return; // another node or thread created it first; use theirs
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(file);
    }
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
  }

  /**
   * True for a secret of at least 256 bits of randomness (the generated base64 form): key
   * stretching adds nothing to it, so fewer PBKDF2 iterations suffice (RFC 8018 §4.2 stretches
   * low-entropy passwords).
   */
  public boolean isHighEntropy() {
    try {
      return Base64.getDecoder().decode(new String(passphrase)).length >= 32;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** A copy of the passphrase; callers clear it after use. */
  char[] passphrase() {
    return passphrase.clone();
  }

  @Override
  public String toString() {
    return "MasterSecret[redacted]";
  }
}
