package org.keyhaven.keyserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.openpgp.PGPSignature;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;
import org.keyhaven.keyserver.openpgp.SyntheticKeys.Identity;

/** Test keys and an in-memory database. */
public final class Fixtures {
  public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  private Fixtures() {}

  public static Identity alice() {
    return SyntheticKeys.identity("alice", "Alice Example <alice@example.org>", T0);
  }

  public static Identity bob() {
    return SyntheticKeys.identity("bob", "Bob Example <bob@example.org>", T0.plusSeconds(10));
  }

  public static Identity carol() {
    return SyntheticKeys.identity("carol", "Carol <carol@example.org>", T0.plusSeconds(20));
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static byte[] enc(PGPSignature s) {
    try {
      return s.getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key packet (first packet) of a synthetic key. */
  public static byte[] keyPacket(Identity id) {
    try {
      return id.publicKey().getPublicKeyPacket().getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static List<Identity> attackers(int n) {
    List<Identity> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(SyntheticKeys.identity("attacker" + i, "Attacker " + i + " <a" + i + "@evil.test>",
          T0));
    }
    return out;
  }

  /** A fresh migrated in-memory H2 database (also used by the web-of-trust tests). */
  public static javax.sql.DataSource h2() {
    return org.keyhaven.testkit.TestDatabases.h2();
  }
}
