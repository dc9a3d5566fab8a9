import java.io.PrintWriter;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Writes one nonce-less OCSP GET path (RFC 6960 appendix A.1: /ocsp/<url-encoded base64 DER>) per
 * serial, for wrk. Usage: java -cp <bcprov,bcpkix,bcutil> OcspPaths.java <issuer-der.b64>
 * <serials.txt (hex, one per line)> <out.txt>
 */
public class OcspPaths {
  public static void main(String[] a) throws Exception {
    byte[] der = Base64.getMimeDecoder().decode(Files.readString(Path.of(a[0])).strip());
    X509CertificateHolder issuer = new X509CertificateHolder(der);
    var sha1 = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
    int n = 0;
    try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(Path.of(a[2])))) {
      for (String line : Files.readAllLines(Path.of(a[1]))) {
        if (line.isBlank()) {
          continue;
        }
        CertificateID id = new CertificateID(sha1, issuer, new BigInteger(line.strip(), 16));
        byte[] req = new OCSPReqBuilder().addRequest(id).build().getEncoded();
        out.println("/ocsp/" + URLEncoder.encode(Base64.getEncoder().encodeToString(req),
            StandardCharsets.US_ASCII));
        n++;
      }
    }
    System.out.println("wrote " + n + " OCSP GET paths");
  }
}
