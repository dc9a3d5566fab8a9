package org.keyhaven.common;

import java.security.MessageDigest;
import java.util.Arrays;

/** An immutable byte string with value equality, for use inside records. */
public final class Bytes {
  private final byte[] data;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** Copies {@code data}; later changes to the array do not affect this value. */
  public static Bytes copyOf(byte[] data) {
    return new Bytes(data.clone());
  }

  /** A fresh copy of the bytes. */
  public byte[] toByteArray() {
    return data.clone();
  }

  public int size() {
    return data.length;
  }

  /** Constant-time comparison, for secrets and digests of secrets. */
  public boolean equalsConstantTime(Bytes other) {
    return MessageDigest.isEqual(data, other.data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b && Arrays.equals(data, b.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return Hex.encode(data);
  }
}
