/**
 * CA key protection: software keys are PKCS#8 encrypted with PBES2 (PBKDF2-HMAC-SHA256,
 * AES-256-CBC) under a master secret; HSM keys live in a PKCS#11 token reached through SunPKCS11.
 * Only this package ever holds a {@code PrivateKey}; it may import {@code hierarchy} value types,
 * common, BouncyCastle and the JDK.
 */
package org.keyhaven.ca.keys;
