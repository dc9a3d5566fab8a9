package org.keyhaven.ca.keys;

import java.nio.file.Path;

/**
 * How to reach the HSM: a SunPKCS11 configuration file and a file holding the user PIN. The
 * configuration should carry an {@code attributes(generate, CKO_PRIVATE_KEY, *)} template with
 * {@code CKA_SENSITIVE = true} and {@code CKA_EXTRACTABLE = false}.
 */
public record Pkcs11Settings(Path configFile, Path pinFile) {}
