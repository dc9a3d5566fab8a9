package org.keyhaven.server.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.keyhaven.ca.hierarchy.ExternalCertificates;
import org.keyhaven.ca.issuance.IssuanceRequest;
import org.keyhaven.ca.keys.CaKeys;
import org.keyhaven.ca.keys.KeyProtector;
import org.keyhaven.ca.keys.MasterSecret;
import org.keyhaven.common.Bytes;
import org.keyhaven.ca.issuance.Profile;
import org.keyhaven.ca.ocsp.OcspRequestDecoder;
import org.keyhaven.ca.revocation.SelfServiceStatement;
import org.keyhaven.ca.revocation.SignedRevocationRequest;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.hkp.HkpRequestParser;
import org.keyhaven.keyserver.openpgp.Armor;
import org.keyhaven.keyserver.openpgp.PgpKeyReader;
import org.keyhaven.keyserver.openpgp.PgpLimits;
import org.keyhaven.recipients.Mailboxes;

/**
 * Fuzz targets for every decoder of untrusted input: PKCS#10 CSRs and their policy profile, OCSP
 * requests, self-service revocation requests (CMS and statement), CA import certificates and
 * keys, OpenPGP uploads (armored and
 * binary), HKP queries, email addresses. Each input must decode or fail with exactly one
 * client-error {@link PkiException}; any other exception is a finding. A plain test run replays
 * the committed corpus under src/test/resources; {@code JAZZER_FUZZ=1} fuzzes
 * (bench/reliability/fuzz.sh runs each target for 10 minutes).
 */
class ParserFuzzTest {

  static void clientError(PkiException e) {
    if (e.kind() == ErrorKind.INTERNAL || e.detail() == null || e.detail().contains("\n")) {
      throw new AssertionError("expected a one-line client error, got " + e.kind() + ": " + e.detail(), e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void csr(FuzzedDataProvider data) {
    Profile profile = Profile.values()[data.consumeInt(0, Profile.values().length - 1)];
    Integer days = data.consumeBoolean() ? data.consumeInt(-10, 2000) : null;
    String pem = data.consumeRemainingAsString();
    try {
      IssuanceRequest.fromCsr(pem, profile, days);
    } catch (PkiException e) {
      clientError(e);
    }
  }

  /** CA import: certificate and chain PEM, and the CA checks run on what decodes. */
  @FuzzTest(maxDuration = "30s")
  void importCertificates(FuzzedDataProvider data) {
    String pem = data.consumeRemainingAsString();
    try {
      List<X509CertificateHolder> all = ExternalCertificates.parse(pem, "chain");
      for (X509CertificateHolder c : all) {
        ExternalCertificates.effectivePathLength(c, all);
        ExternalCertificates.requireCa(c, "certificate", Instant.now());
        ExternalCertificates.pathToRoot(c, all, "certificate", Instant.now());
      }
    } catch (PkiException e) {
      clientError(e);
    }
  }

  /** CA import: PEM private keys (plain, encrypted, traditional) and PKCS#12 files. */
  @FuzzTest(maxDuration = "30s")
  void importKey(FuzzedDataProvider data) {
    boolean pkcs12 = data.consumeBoolean();
    String passphrase = data.consumeString(24);
    byte[] rest = data.consumeRemainingAsBytes();
    try {
      if (pkcs12) {
        IMPORT_KEYS.importPkcs12(Bytes.copyOf(rest), passphrase.toCharArray());
      } else {
        IMPORT_KEYS.importPem(new String(rest, StandardCharsets.UTF_8),
            passphrase.isEmpty() ? null : passphrase.toCharArray());
      }
    } catch (PkiException e) {
      clientError(e);
    }
  }

  static final CaKeys IMPORT_KEYS = importKeys();

  static CaKeys importKeys() {
    try {
      Path dir = Files.createTempDirectory("fuzz-import-keys");
      return new CaKeys(new KeyProtector(MasterSecret.load(null, dir), 1000), Optional.empty());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void ocspRequest(byte[] der) {
    try {
      OcspRequestDecoder.decode(der);
    } catch (PkiException e) {
      clientError(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void revocationRequest(byte[] cms) {
    try {
      SignedRevocationRequest.decode(cms);
    } catch (PkiException e) {
      clientError(e);
    }
    try {
      SelfServiceStatement.parse(cms);
    } catch (PkiException e) {
      clientError(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void openPgpUpload(byte[] upload) {
    try {
      byte[] binary = Armor.isArmored(upload) ? Armor.decode(upload) : upload;
      for (PgpKeyReader.Item item : new PgpKeyReader(PgpLimits.defaults()).read(binary)) {
        if (item instanceof PgpKeyReader.Rejected r) {
          clientError(r.reason());
        }
      }
    } catch (PkiException e) {
      clientError(e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void hkpQuery(FuzzedDataProvider data) {
    Map<String, List<String>> params = new LinkedHashMap<>();
    String[] names = {"op", "search", "options", "exact", "fingerprint", "x"};
    int n = data.consumeInt(0, 6);
    for (int i = 0; i < n; i++) {
      params.computeIfAbsent(names[data.consumeInt(0, names.length - 1)], k -> new java.util.ArrayList<>())
          .add(data.consumeString(200));
    }
    try {
      HkpRequestParser.parse(params);
    } catch (PkiException e) {
      if (e.kind() != ErrorKind.UNSUPPORTED) {
        clientError(e);
      }
    }
  }

  @FuzzTest(maxDuration = "30s")
  void mailbox(byte[] bytes) {
    try {
      Mailboxes.normalize(new String(bytes, StandardCharsets.UTF_8));
    } catch (PkiException e) {
      clientError(e);
    }
  }
}
