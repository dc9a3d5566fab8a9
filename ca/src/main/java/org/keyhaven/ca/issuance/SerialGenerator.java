package org.keyhaven.ca.issuance;

import java.math.BigInteger;

/** Source of certificate serial numbers; behind an interface so tests can pin it. */
public interface SerialGenerator {
  BigInteger next();
}
