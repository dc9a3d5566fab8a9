// The physical bound of a verifying bulk import: how fast BouncyCastle verifies Ed25519 here,
// per core, next to what each stage of Keyhaven's import costs per key. Plain loops (no JMH):
// each stage runs for a few seconds after a warm-up, on one thread, and is reported as
// operations per CPU-second of that thread (ThreadMXBean), which stays meaningful on a machine
// shared with other work; wall-clock rates are printed too.
//
// Usage: java -cp <keyhaven-keyserver + keyhaven-common + bcprov + bcpg + bcutil jars> \
//            VerifyBound.java [seconds per stage, default 5]
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.keyhaven.keyserver.openpgp.KeyBlock;
import org.keyhaven.keyserver.openpgp.KeyringMerger;
import org.keyhaven.keyserver.openpgp.PgpKeyReader;
import org.keyhaven.keyserver.openpgp.PgpLimits;
import org.keyhaven.keyserver.openpgp.SyntheticKeys;

public class VerifyBound {
  interface Op {
    void run(int i) throws Exception;
  }

  static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();

  /** Runs op for `seconds` after a warm-up of the same length; prints and returns ops per CPU-s. */
  static double measure(String name, double seconds, Op op) throws Exception {
    for (int phase = 0; phase < 2; phase++) {
      long wall0 = System.nanoTime();
      long cpu0 = MX.getCurrentThreadCpuTime();
      long n = 0;
      long end = wall0 + (long) (seconds * 1e9);
      while (System.nanoTime() < end) {
        for (int k = 0; k < 64; k++) {
          op.run((int) (n++ & 1023));
        }
      }
      double cpu = (MX.getCurrentThreadCpuTime() - cpu0) / 1e9;
      double wall = (System.nanoTime() - wall0) / 1e9;
      if (phase == 1) {
        System.out.printf("%-58s %9.0f /CPU-s  %9.0f /s wall  (%.1f us CPU each)%n", name,
            n / cpu, n / wall, cpu / n * 1e6);
        return n / cpu;
      }
    }
    throw new AssertionError();
  }

  public static void main(String[] args) throws Exception {
    double secs = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    System.out.printf("cores: %d, java %s, load average %.2f%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    // 1024 distinct messages and keys, as a real import verifies distinct signatures.
    byte[][] pub = new byte[1024][];
    byte[][] msg = new byte[1024][];
    byte[][] sig = new byte[1024][];
    byte[][] keys = new byte[1024][];
    Instant created = Instant.parse("2025-06-01T00:00:00Z");
    for (int i = 0; i < 1024; i++) {
      Ed25519PrivateKeyParameters sk = new Ed25519PrivateKeyParameters(
          java.security.MessageDigest.getInstance("SHA-256").digest(("k" + i).getBytes()), 0);
      pub[i] = sk.generatePublicKey().getEncoded();
      msg[i] = new byte[32]; // OpenPGP signs a hash: the Ed25519 input is a 32-byte SHA-256
      msg[i][0] = (byte) i;
      msg[i][1] = (byte) (i >> 8);
      Ed25519Signer s = new Ed25519Signer();
      s.init(true, sk);
      s.update(msg[i], 0, msg[i].length);
      sig[i] = s.generateSignature();
      keys[i] = SyntheticKeys.publicKey(SyntheticKeys.identity("bench" + i,
          "Bench User " + i + " <bench" + i + "@example.org>", created));
    }
    double raw = measure("Ed25519 verify (BC lightweight, key decoded each time)", secs, i -> {
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, new Ed25519PublicKeyParameters(pub[i], 0));
      v.update(msg[i], 0, msg[i].length);
      if (!v.verifySignature(sig[i])) {
        throw new AssertionError();
      }
    });
    Ed25519PublicKeyParameters[] decoded = new Ed25519PublicKeyParameters[1024];
    for (int i = 0; i < 1024; i++) {
      decoded[i] = new Ed25519PublicKeyParameters(pub[i], 0);
    }
    double rawDecoded = measure("Ed25519 verify (BC lightweight, key decoded once)", secs, i -> {
      Ed25519Signer v = new Ed25519Signer();
      v.init(false, decoded[i]);
      v.update(msg[i], 0, msg[i].length);
      if (!v.verifySignature(sig[i])) {
        throw new AssertionError();
      }
    });
    PgpLimits limits = PgpLimits.defaults();
    PgpKeyReader reader = new PgpKeyReader(limits);
    KeyringMerger merger = new KeyringMerger(limits);
    double parse = measure("parse one bench key (PgpKeyReader: packets, PGPPublicKey)", secs,
        i -> reader.read(keys[i]));
    KeyBlock[] blocks = new KeyBlock[1024];
    for (int i = 0; i < 1024; i++) {
      blocks[i] = (KeyBlock) reader.read(keys[i]).get(0);
    }
    double verify = measure("verify one parsed key (2 signatures, KeyringMerger.verify)", secs,
        i -> merger.verify(blocks[i]));
    double all = measure("parse + verify + merge + encode one key", secs, i -> {
      KeyBlock b = (KeyBlock) reader.read(keys[i]).get(0);
      merger.merge(null, merger.verify(b).firstParty()).encode();
    });
    int cores = Runtime.getRuntime().availableProcessors();
    System.out.printf("%nsignatures per bench key: 2 (user ID self-certification, subkey binding)%n");
    System.out.printf("bound from raw Ed25519 alone: %.0f keys/s on %d cores (key decoded per "
        + "signature), %.0f keys/s (decoded once)%n", raw * cores / 2, cores, rawDecoded * cores / 2);
    System.out.printf("bound from bcpg verification:  %.0f keys/s on %d cores%n",
        verify * cores, cores);
    System.out.printf("bound from parse+verify+merge: %.0f keys/s on %d cores (no database)%n",
        all * cores, cores);
  }
}
