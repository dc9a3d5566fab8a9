package org.keyhaven.ca.issuance;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * 128 bits of CSPRNG output read as an unsigned integer: positive by construction (no sign bit is
 * cleared, so no entropy is lost as in the 2019 63-bit incident), at most 17 DER octets, well
 * inside RFC 5280 §4.1.2.2's 20 and above SBR §7.1's 64 bits.
 */
public final class RandomSerialGenerator implements SerialGenerator {
  public static final int BITS = 128;
  private final SecureRandom random;

  public RandomSerialGenerator(SecureRandom random) {
    this.random = random;
  }

  public RandomSerialGenerator() {
    this(new SecureRandom());
  }

  @Override
  public BigInteger next() {
    byte[] b = new byte[BITS / 8];
    BigInteger s;
    do {
      random.nextBytes(b);
      s = new BigInteger(1, b);
    } while (s.signum() == 0);
    return s;
  }
}
