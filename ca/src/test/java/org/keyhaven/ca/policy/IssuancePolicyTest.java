package org.keyhaven.ca.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.keyhaven.ca.CaFixture;
import org.keyhaven.ca.CaId;
import org.keyhaven.ca.Csrs;
import org.keyhaven.ca.IssuanceOutcome;
import org.keyhaven.ca.hierarchy.CaCreator;
import org.keyhaven.ca.hierarchy.PolicyKind;
import org.keyhaven.ca.issuance.IssuanceRequest;
import org.keyhaven.ca.keys.KeyAlgorithm;
import org.keyhaven.common.ErrorKind;
import org.keyhaven.common.PkiException;

/** Every policy rule, refused with its exact kind and rule name. */
class IssuancePolicyTest {
  @TempDir static Path dir;
  static CaFixture f;

  @BeforeAll
  static void setUp() {
    f = new CaFixture(dir);
    f.ca.bootstrap();
  }

  record Case(String ca, Supplier<String> csr, String profile, Integer days, ErrorKind kind,
      String message) {}

  static Arguments named(String name, Case c) {
    return Arguments.of(Named.of(name, c));
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        named("high assurance refuses P-256", new Case("ca-high",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("a@example.org").pem(), "smime-sign", null,
            ErrorKind.POLICY_VIOLATION, "rule high-assurance/key-strength: CA ca-high needs EC"
                + " P-384 or RSA-3072 or stronger, the CSR has EC P-256")),
        named("high assurance refuses RSA-2048", new Case("ca-high",
            () -> Csrs.csr(Csrs.rsa(2048)).email("a@example.org").pem(), "smime-encrypt", null,
            ErrorKind.POLICY_VIOLATION, "rule high-assurance/key-strength:")),
        named("high assurance refuses dual-key", new Case("ca-high",
            () -> Csrs.csr(Csrs.ec("secp384r1")).email("a@example.org").pem(), "smime-dual", null,
            ErrorKind.POLICY_VIOLATION, "rule high-assurance/separate-keys: CA ca-high certifies"
                + " signing and encryption keys separately")),
        named("high assurance keeps names under the organisation", new Case("ca-high",
            () -> Csrs.csr(Csrs.ec("secp384r1")).subject("O=Other,CN=A").email("a@example.org")
                .pem(), "smime-sign", null, ErrorKind.POLICY_VIOLATION,
            "rule standard/name-subordination: subject 'O=Other,CN=A' is not under")),
        named("standard refuses foreign mail domain", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("eve@evil.example").pem(), "smime-sign",
            null, ErrorKind.POLICY_VIOLATION, "rule standard/name-subordination: email address"
                + " eve@evil.example is outside the permitted mail domains")),
        named("standard refuses subdomain for exact rfc822 constraint", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("eve@sub.example.org").pem(), "smime-sign",
            null, ErrorKind.POLICY_VIOLATION, "rule standard/name-subordination: email address")),
        named("standard refuses subject outside organisation", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).subject("O=Evil Corp,CN=Eve")
                .email("eve@example.org").pem(), "smime-sign", null, ErrorKind.POLICY_VIOLATION,
            "rule standard/name-subordination: subject 'O=Evil Corp,CN=Eve' is not under"
                + " 'O=Example Org' (CA ca-mail)")),
        named("standard refuses foreign mail hub", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).dns("mx.evil.example").pem(), "tls-server", null,
            ErrorKind.POLICY_VIOLATION, "rule standard/name-subordination: host name"
                + " mx.evil.example")),
        named("persona refuses identity claims", new Case("ca-persona",
            () -> Csrs.csr(Csrs.ec("secp256r1")).subject("O=Example Org,CN=Nym")
                .email("nym@anywhere.example").pem(), "smime-sign", null,
            ErrorKind.POLICY_VIOLATION, "rule persona/pseudonymous-subject: CA ca-persona"
                + " certifies pseudonyms: subject attribute O is not allowed")),
        named("persona refuses locality", new Case("ca-persona",
            () -> Csrs.csr(Csrs.ec("secp256r1")).subject("CN=Nym,L=Berlin")
                .email("nym@anywhere.example").pem(), "smime-sign", null,
            ErrorKind.POLICY_VIOLATION, "rule persona/pseudonymous-subject:")),
        named("Ed25519 cannot encrypt", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ed25519()).email("a@example.org").pem(), "smime-encrypt", null,
            ErrorKind.POLICY_VIOLATION, "rule profile-key-type: profile smime-encrypt: Ed25519")),
        named("RSA-1024 is too small", new Case("ca-mail",
            () -> Csrs.csr(Csrs.rsa(1024)).email("a@example.org").pem(), "smime-sign", null,
            ErrorKind.POLICY_VIOLATION, "rule key-size: RSA keys must be 2048 to 4096 bits")),
        named("CSR asking for cA=true", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("a@example.org")
                .extension(Extension.basicConstraints, true, new BasicConstraints(true)).pem(),
            "smime-sign", null, ErrorKind.POLICY_VIOLATION, "rule profile-extensions: the CSR"
                + " requests cA=true")),
        named("CSR asking for serverAuth on S/MIME", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("a@example.org")
                .extension(Extension.extendedKeyUsage, false,
                    new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)).pem(),
            "smime-sign", null, ErrorKind.POLICY_VIOLATION, "rule profile-extensions: the CSR"
                + " requests extended key usage 1.3.6.1.5.5.7.3.1")),
        named("CSR asking for keyEncipherment on smime-sign", new Case("ca-mail",
            () -> Csrs.csr(Csrs.rsa(2048)).email("a@example.org")
                .extension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyEncipherment))
                .pem(), "smime-sign", null, ErrorKind.POLICY_VIOLATION,
            "rule profile-extensions: the CSR requests key usages that profile smime-sign does"
                + " not grant")),
        named("CSR asking for an unknown extension", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("a@example.org")
                .extension(Extension.nameConstraints, true, new DERSequence()).pem(),
            "smime-sign", null, ErrorKind.POLICY_VIOLATION, "rule profile-extensions: the CSR"
                + " requests extension 2.5.29.30")),
        named("S/MIME without mailbox", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).pem(), "smime-sign", null,
            ErrorKind.POLICY_VIOLATION, "rule profile-names: profile smime-sign needs at least"
                + " one email address")),
        named("tls-server with mailbox", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).dns("mx.example.org").email("a@example.org")
                .pem(), "tls-server", null, ErrorKind.POLICY_VIOLATION,
            "rule profile-names: profile tls-server does not allow email")),
        named("S/MIME validity above 825 days", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("a@example.org").pem(), "smime-sign", 826,
            ErrorKind.POLICY_VIOLATION, "rule profile-validity: profile smime-sign allows 1 to"
                + " 825 days, 826 were requested")),
        named("unknown profile", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("a@example.org").pem(), "code-signing",
            null, ErrorKind.MALFORMED, "unknown profile 'code-signing'")),
        named("garbage CSR", new Case("ca-mail", () -> "hello", "smime-sign", null,
            ErrorKind.MALFORMED, "csr must be a PEM 'CERTIFICATE REQUEST'")),
        named("truncated CSR", new Case("ca-mail",
            () -> "-----BEGIN CERTIFICATE REQUEST-----\nMIIBAA==\n-----END CERTIFICATE REQUEST"
                + "-----\n", "smime-sign", null, ErrorKind.MALFORMED,
            "CSR is not a valid PKCS#10 request")),
        named("trailing-dot mailbox domain", new Case("ca-mail",
            () -> Csrs.csr(Csrs.ec("secp256r1")).email("a@example.org.").pem(), "smime-sign",
            null, ErrorKind.MALFORMED, "'example.org.' is not a host name")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void issue_refuses(Case c) {
    String csr = c.csr().get();
    assertThatThrownBy(() -> f.ca.issue("ra", CaId.of(c.ca()), csr, c.profile(), c.days()))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(c.kind());
          assertThat(e.detail()).startsWith(c.message());
        });
  }

  @Test
  void issue_rejectsCsrWithInvalidSignature() throws Exception {
    byte[] der = Csrs.csr(Csrs.ec("secp256r1")).email("a@example.org").build().getEncoded();
    der[der.length - 5] ^= 0x01; // flip a bit inside the signature
    String pem = org.keyhaven.ca.IssuedCertificate.pem("CERTIFICATE REQUEST", der);
    assertThatThrownBy(() -> f.ca.issue("ra", CaId.of("ca-mail"), pem, "smime-sign", null))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.MALFORMED);
          assertThat(e.detail()).isEqualTo(
              "CSR signature does not verify (no proof of possession)");
        });
  }

  @Test
  void issue_acceptsSmtpUtf8Mailbox_underPersona() {
    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(IssuanceRequest.SMTP_UTF8_MAILBOX);
    v.add(new DERTaggedObject(true, 0, new DERUTF8String("jörg@example.org")));
    String csr = Csrs.csr(Csrs.ec("secp256r1")).subject("CN=Jörg")
        .name(new GeneralName(GeneralName.otherName, new DERSequence(v))).pem();
    var out = (IssuanceOutcome.Issued) f.ca.issue("ra", CaId.of("ca-persona"), csr,
        "smime-sign", null);
    assertThat(out.certificate().emails()).containsExactly("jörg@example.org");
  }

  @Test
  void createCa_underHighAssurance_mustStayHighAssurance() {
    var req = new CaCreator.NewCa(CaId.of("ha-child"), Optional.of(CaId.of("pca-high")),
        PolicyKind.STANDARD, null, KeyAlgorithm.EC_P384, "Child", 0, null, false);
    assertThatThrownBy(() -> f.ca.create(req, "admin"))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.POLICY_VIOLATION);
          assertThat(e.detail()).isEqualTo("rule high-assurance/ca-subordination: high-assurance"
              + " CA pca-high certifies only high-assurance CAs, not standard");
        });
  }

  @Test
  void createCa_highAssuranceWithWeakKey_isRefused() {
    var req = new CaCreator.NewCa(CaId.of("ha-weak"), Optional.of(CaId.of("pca-high")),
        PolicyKind.HIGH_ASSURANCE, null, KeyAlgorithm.EC_P256, "Weak", 0, null, false);
    assertThatThrownBy(() -> f.ca.create(req, "admin"))
        .isInstanceOfSatisfying(PkiException.class, e ->
            assertThat(e.detail()).startsWith("rule high-assurance/key-strength:"));
  }

  @Test
  void createCa_underIssuingCa_violatesPathLength() {
    var req = new CaCreator.NewCa(CaId.of("too-deep"), Optional.of(CaId.of("ca-mail")),
        PolicyKind.STANDARD, null, KeyAlgorithm.EC_P256, "Too Deep", null, null, false);
    assertThatThrownBy(() -> f.ca.create(req, "admin"))
        .isInstanceOfSatisfying(PkiException.class, e -> {
          assertThat(e.kind()).isEqualTo(ErrorKind.POLICY_VIOLATION);
          assertThat(e.detail()).isEqualTo("rule path-length: CA ca-mail has pathLenConstraint 0"
              + " and cannot certify CAs");
        });
  }

  @Test
  void createCa_duplicateId_isConflict() {
    var req = new CaCreator.NewCa(CaId.of("ca-mail"), Optional.of(CaId.of("pca-standard")),
        PolicyKind.STANDARD, null, KeyAlgorithm.EC_P256, "Dup", 0, null, false);
    assertThatThrownBy(() -> f.ca.create(req, "admin"))
        .isInstanceOfSatisfying(PkiException.class,
            e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFLICT));
  }
}
