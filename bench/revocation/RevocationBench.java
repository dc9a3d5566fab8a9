import java.io.PrintWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.bc.BcDigestCalculatorProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.crl.CrlKind;
import org.keyhaven.ca.revocation.store.jdbc.RevocationWiring;
import org.keyhaven.server.KeyhavenServer;
import org.keyhaven.server.ServerConfig;

/**
 * Revocation benchmark set-up (see run.sh): starts a real Keyhaven server on an H2 file database,
 * loads 100,000 certificates under ca-mail (10 % revoked) and 100,000 revoked under ca-persona,
 * times CRL generation, and writes the peers' data: an OpenSSL CA + responder with the same
 * 100,000 serials (index.txt, 10 % revoked), 100,000 pre-signed responses for cfssl ocspserve,
 * an index with 100,000 revoked entries for openssl ca -gencrl, and request files for wrk.
 * Then it keeps serving until killed.
 */
public final class RevocationBench {
  static final int N = 100_000;
  static final Random RND = new Random(42);

  public static void main(String[] args) throws Exception {
    Path work = Path.of(args[0]);
    int port = Integer.parseInt(args[1]);
    Files.createDirectories(work);
    Path data = work.resolve("keyhaven-data");
    ServerConfig config = new ServerConfig(data, "127.0.0.1", port, 0, 0,
        "jdbc:h2:file:" + work.resolve("kh-db").toAbsolutePath()
            + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH",
        null, null, "Bench Org", List.of("example.org"), null, null, null,
        ServerConfig.DEFAULT_MAX_BODY_BYTES);
    KeyhavenServer server = KeyhavenServer.start(config, Clock.systemUTC());
    var w = server.wiring();
    List<BigInteger> mail = load(w.dataSource, "ca-mail", N, 10);
    load(w.dataSource, "ca-persona", N, 1);
    System.out.println("loaded " + N + " + " + N + " certificates");

    // CRL generation: a fresh service instance with the clock 13 h ahead regenerates every time.
    for (int i = 0; i < 4; i++) {
      var rw = new RevocationWiring(w.ca, w.dataSource, RevocationWiring.Settings.defaults(),
          (a, b, c, d, e) -> { }, Clock.offset(Clock.systemUTC(), Duration.ofHours(13L * (i + 1))));
      long t0 = System.nanoTime();
      var crl = rw.crls.current(CaId.of("ca-persona"), CrlKind.FULL);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("keyhaven CRL %d entries, %d bytes: %d ms%n", crl.entries(),
          crl.der().size(), ms);
      Files.write(work.resolve("keyhaven-persona.crl"), crl.der().toByteArray());
      rw.close();
    }

    X509CertificateHolder caMail = w.ca.ca(CaId.of("ca-mail")).certificateHolder();
    writeRequests(work.resolve("keyhaven-get.txt"), caMail, mail, null);
    writePost(work.resolve("keyhaven-nonce.der"), caMail, mail.get(7), true);
    writePostBodies(work.resolve("keyhaven-post.bin"), caMail, mail);
    peers(work, mail);
    System.out.println("READY");
    Thread.currentThread().join();
  }

  /** Inserts n certificate rows under ca (1 in revokedEvery revoked) by JDBC batches. */
  static List<BigInteger> load(javax.sql.DataSource ds, String ca, int n, int revokedEvery)
      throws Exception {
    List<BigInteger> serials = new ArrayList<>(n);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement r = c.prepareStatement(
              "INSERT INTO serial_reservation (serial, ca_id, reserved_at) VALUES (?, ?, ?)");
          PreparedStatement p = c.prepareStatement("INSERT INTO certificate (serial, ca_id,"
              + " profile, subject, subject_lc, fingerprint, not_before, not_after, der, status,"
              + " revocation_reason, revoked_at, issued_at, requested_by) VALUES"
              + " (?, ?, 'smime-sign', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'bench')")) {
        for (int i = 0; i < n; i++) {
          BigInteger s = new BigInteger(127, RND).setBit(126);
          serials.add(s);
          String hex = s.toString(16);
          r.setString(1, hex);
          r.setString(2, ca);
          r.setObject(3, now);
          r.addBatch();
          boolean revoked = i % revokedEvery == 0;
          p.setString(1, hex);
          p.setString(2, ca);
          p.setString(3, "CN=bench " + i);
          p.setString(4, "cn=bench " + i);
          p.setString(5, String.format("%064x", s));
          p.setObject(6, now.minusDays(1));
          p.setObject(7, now.plusDays(365));
          p.setBytes(8, new byte[] {0x30, 0x00});
          p.setString(9, revoked ? "revoked" : "good");
          if (revoked) {
            p.setInt(10, 1 + (i / revokedEvery) % 5);
            p.setObject(11, now.minusHours(1));
          } else {
            p.setObject(10, null);
            p.setObject(11, null);
          }
          p.setObject(12, now);
          p.addBatch();
          if (i % 5000 == 4999) {
            r.executeBatch();
            p.executeBatch();
            c.commit();
          }
        }
        r.executeBatch();
        p.executeBatch();
        c.commit();
      }
    }
    return serials;
  }

  static void writeRequests(Path out, X509CertificateHolder issuer, List<BigInteger> serials,
      String prefix) throws Exception {
    try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(out))) {
      for (int i = 0; i < 10_000; i++) {
        BigInteger s = serials.get(RND.nextInt(serials.size()));
        byte[] der = request(issuer, s, false);
        pw.println("/" + (prefix == null ? "ocsp/" : prefix) + java.net.URLEncoder.encode(
            Base64.getEncoder().encodeToString(der), "US-ASCII"));
      }
    }
  }

  /** 10,000 nonce-less DER requests for random serials, each after a 2-byte length (post-many.lua). */
  static void writePostBodies(Path out, X509CertificateHolder issuer, List<BigInteger> serials)
      throws Exception {
    try (var os = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
        Files.newOutputStream(out)))) {
      for (int i = 0; i < 10_000; i++) {
        byte[] der = request(issuer, serials.get(RND.nextInt(serials.size())), false);
        os.writeShort(der.length);
        os.write(der);
      }
    }
  }

  static void writePost(Path out, X509CertificateHolder issuer, BigInteger serial, boolean nonce)
      throws Exception {
    Files.write(out, request(issuer, serial, nonce));
  }

  static byte[] request(X509CertificateHolder issuer, BigInteger serial, boolean nonce)
      throws Exception {
    OCSPReqBuilder b = new OCSPReqBuilder();
    b.addRequest(new CertificateID(new BcDigestCalculatorProvider().get(CertificateID.HASH_SHA1),
        issuer, serial));
    if (nonce) {
      byte[] n = new byte[16];
      RND.nextBytes(n);
      b.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce,
          false, new DEROctetString(new DEROctetString(n).getEncoded()))));
    }
    return b.build().getEncoded();
  }

  /** OpenSSL CA + responder, index.txt, cfssl responses, CRL index; same serials as ca-mail. */
  static void peers(Path work, List<BigInteger> serials) throws Exception {
    KeyPair caKey = ec();
    KeyPair rKey = ec();
    X500Name caName = new X500Name("CN=Peer CA");
    Instant now = Instant.now();
    X509CertificateHolder ca = cert(caName, caName, caKey, caKey, now, true);
    X509CertificateHolder responder = cert(caName, new X500Name("CN=Peer Responder"), rKey, caKey,
        now, false);
    pem(work.resolve("peer-ca.pem"), "CERTIFICATE", ca.getEncoded());
    pem(work.resolve("peer-ca.key"), "PRIVATE KEY", caKey.getPrivate().getEncoded());
    pem(work.resolve("peer-responder.pem"), "CERTIFICATE", responder.getEncoded());
    pem(work.resolve("peer-responder.key"), "PRIVATE KEY", rKey.getPrivate().getEncoded());
    DateTimeFormatter f = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    String exp = f.format(now.plus(Duration.ofDays(365)));
    String rev = f.format(now.minus(Duration.ofHours(1)));
    String[] reasons = {"keyCompromise", "CACompromise", "affiliationChanged", "superseded",
        "cessationOfOperation"};
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(rKey.getPrivate());
    try (PrintWriter idx = new PrintWriter(Files.newBufferedWriter(work.resolve("index.txt")));
        PrintWriter crlIdx = new PrintWriter(Files.newBufferedWriter(
            work.resolve("crl-index.txt")));
        PrintWriter resp = new PrintWriter(Files.newBufferedWriter(
            work.resolve("cfssl-responses.txt")))) {
      BasicOCSPRespBuilder dummy = null;
      for (int i = 0; i < serials.size(); i++) {
        BigInteger s = serials.get(i);
        String hex = s.toString(16).toUpperCase();
        if (hex.length() % 2 == 1) {
          hex = "0" + hex;
        }
        boolean revoked = i % 10 == 0;
        String reason = reasons[(i / 10) % 5];
        idx.println((revoked ? "R" : "V") + "\t" + exp + "\t" + (revoked ? rev + "," + reason
            : "") + "\t" + hex + "\tunknown\t/CN=bench " + i);
        crlIdx.println("R\t" + exp + "\t" + rev + "," + reason + "\t" + hex
            + "\tunknown\t/CN=bench " + i);
        // cfssl ocspserve serves pre-signed responses as they are (no signing at request time).
        BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(
            responder.getSubjectPublicKeyInfo(), new BcDigestCalculatorProvider()
                .get(RespID.HASH_SHA1)));
        CertificateID id = new CertificateID(new BcDigestCalculatorProvider()
            .get(CertificateID.HASH_SHA1), ca, s);
        CertificateStatus st = revoked ? new RevokedStatus(Date.from(now.minusSeconds(3600)), 1)
            : CertificateStatus.GOOD;
        b.addResponse(id, st, Date.from(now), Date.from(now.plus(Duration.ofDays(1))), null);
        byte[] der = new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, b.build(signer,
            new X509CertificateHolder[] {responder}, Date.from(now))).getEncoded();
        resp.println(Base64.getEncoder().encodeToString(der));
      }
    }
    Files.writeString(work.resolve("index.txt.attr"), "unique_subject = no\n");
    Files.writeString(work.resolve("crl-index.txt.attr"), "unique_subject = no\n");
    writeRequests(work.resolve("peer-get.txt"), ca, serials, "");
    writePost(work.resolve("peer-nonce.der"), ca, serials.get(7), true);
    writePostBodies(work.resolve("peer-post.bin"), ca, serials);
  }

  static KeyPair ec() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  static X509CertificateHolder cert(X500Name issuer, X500Name subject, KeyPair key,
      KeyPair signer, Instant now, boolean ca) throws Exception {
    X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer,
        BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(ca ? 0 : 1)),
        Date.from(now.minusSeconds(3600)), Date.from(now.plus(Duration.ofDays(30))), subject,
        SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()));
    if (ca) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      // `openssl ca -gencrl` needs it for the CRL's authorityKeyIdentifier (keyid:always);
      // without it every run failed after building the entries and before signing.
      b.addExtension(Extension.subjectKeyIdentifier, false,
          new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils()
              .createSubjectKeyIdentifier(key.getPublic()));
    } else {
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
    }
    return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer.getPrivate()));
  }

  static void pem(Path p, String type, byte[] der) throws Exception {
    try (PemWriter w = new PemWriter(Files.newBufferedWriter(p))) {
      w.writeObject(new PemObject(type, der));
    }
  }
}
