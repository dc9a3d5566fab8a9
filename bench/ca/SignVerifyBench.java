// Signature and verification cost per CPU-second, one thread, in one JVM: the numbers behind the
// physical bound of REST issuance (docs/BENCHMARKS.md, "CA issuance"). Run through crypto.sh.
//
// For EC P-256 and RSA-2048 CA keys, "sign" is exactly what the raw column of CaIssuanceBench
// measures (a CaSigner over a software key, signing a 1 KiB message), and "verify" is a CSR
// proof-of-possession check of a pre-made P-256 CSR (what every REST issuance of the bench does),
// through each verification path: the one issuance uses (IssuanceRequest.fromCsr, which includes
// decoding the CSR) and the alternatives it was chosen from. Each figure is operations per second
// of this thread's CPU time (ThreadMXBean), so other load on the machine does not distort it.
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.math.BigInteger;
import java.util.Date;
import java.util.Optional;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.hierarchy.CaSigner;
import org.keyhaven.ca.issuance.IssuanceRequest;
import org.keyhaven.ca.issuance.Profile;
import org.keyhaven.ca.keys.BcProvider;
import org.keyhaven.ca.keys.CaKeys;
import org.keyhaven.ca.keys.KeyAlgorithm;

public class SignVerifyBench {
  static final double SECONDS = Double.parseDouble(System.getProperty("seconds", "3"));
  static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  interface Op {
    void run(int i) throws Exception;
  }

  /** Operations per CPU-second of this thread, after a warm-up of the same length. */
  static double perCpuSecond(Op op) throws Exception {
    for (int pass = 0; ; pass++) {
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      int n = 0;
      while (System.nanoTime() - wall0 < SECONDS * 1e9) {
        op.run(n++);
      }
      double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
      if (pass == 1) {
        return n / cpu;
      }
    }
  }

  public static void main(String[] args) throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    List<PKCS10CertificationRequest> csrs = new ArrayList<>();
    List<String> pems = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      KeyPair kp = ec.generateKeyPair();
      PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(
          new X500Name("O=Example Org,CN=Bench " + i), kp.getPublic()).build(
              new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
      csrs.add(csr);
      pems.add(IssuedCertificate.pem("CERTIFICATE REQUEST", csr.getEncoded()));
    }
    System.out.printf("java=%s, one thread, %.0f s per figure after an equal warm-up;"
        + " operations per CPU-second%n", System.getProperty("java.version"), SECONDS);

    // Signing: a CaSigner exactly as the CA opens a freshly made software key (CaKeys ->
    // JcaCaSigner, the class CaIssuanceBench's raw column signs with).
    CaKeys keys = new CaKeys(null, Optional.empty()); // no protector: nothing is persisted
    for (KeyAlgorithm alg : new KeyAlgorithm[] {KeyAlgorithm.EC_P256, KeyAlgorithm.RSA_2048}) {
      CaKeys.NewKey key = keys.generate(alg, false);
      X500Name name = new X500Name("CN=Bench CA");
      X509CertificateHolder cert = new X509v3CertificateBuilder(name, BigInteger.ONE, new Date(),
          new Date(System.currentTimeMillis() + 86_400_000L), name,
          SubjectPublicKeyInfo.getInstance(key.publicKey().getEncoded())).build(key.selfSigner());
      CaSigner signer = key.signer(cert);
      byte[] tbs = new byte[1024];
      double s = perCpuSecond(i -> {
        ContentSigner cs = signer.newContentSigner();
        cs.getOutputStream().write(tbs);
        cs.getSignature();
      });
      System.out.printf("sign   %-9s CaSigner (as raw)                     %8.0f /CPU-s  %.3f ms%n",
          alg.wireName(), s, 1000 / s);
    }

    // Verifying the proof of possession of a P-256 CSR.
    double full = perCpuSecond(i -> IssuanceRequest.fromCsr(pems.get(i % pems.size()),
        Profile.SMIME_SIGN, null));
    double jca = perCpuSecond(i -> {
      PKCS10CertificationRequest c = csrs.get(i % csrs.size());
      if (!c.isSignatureValid(new JcaContentVerifierProviderBuilder()
          .setProvider(BcProvider.INSTANCE).build(c.getSubjectPublicKeyInfo()))) {
        throw new IllegalStateException();
      }
    });
    double jcaSun = perCpuSecond(i -> {
      PKCS10CertificationRequest c = csrs.get(i % csrs.size());
      java.security.Signature v = java.security.Signature.getInstance("SHA256withECDSA");
      v.initVerify(java.security.KeyFactory.getInstance("EC").generatePublic(
          new java.security.spec.X509EncodedKeySpec(c.getSubjectPublicKeyInfo().getEncoded())));
      v.update(c.toASN1Structure().getCertificationRequestInfo().getEncoded("DER"));
      if (!v.verify(c.getSignature())) {
        throw new IllegalStateException();
      }
    });
    double light = perCpuSecond(i -> {
      PKCS10CertificationRequest c = csrs.get(i % csrs.size());
      if (!c.isSignatureValid(new BcECContentVerifierProviderBuilder(
          new DefaultDigestAlgorithmIdentifierFinder()).build(
          PublicKeyFactory.createKey(c.getSubjectPublicKeyInfo())))) {
        throw new IllegalStateException();
      }
    });
    System.out.printf("verify P-256 CSR  IssuanceRequest.fromCsr (decode+verify) %8.0f /CPU-s  %.3f ms%n",
        full, 1000 / full);
    System.out.printf("verify P-256 CSR  JCA, BouncyCastle provider            %8.0f /CPU-s  %.3f ms%n",
        jca, 1000 / jca);
    System.out.printf("verify P-256 CSR  JCA, default provider (SunEC)         %8.0f /CPU-s  %.3f ms%n",
        jcaSun, 1000 / jcaSun);
    System.out.printf("verify P-256 CSR  BouncyCastle lightweight (BcEC...)    %8.0f /CPU-s  %.3f ms%n",
        light, 1000 / light);
  }

}
