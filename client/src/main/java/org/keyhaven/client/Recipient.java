package org.keyhaven.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The server's answer for one address: S/MIME certificates and OpenPGP keys. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Recipient(String email, List<Smime> smime, List<OpenPgp> openpgp) {
  public Recipient {
    smime = smime == null ? List.of() : List.copyOf(smime);
    openpgp = openpgp == null ? List.of() : List.copyOf(openpgp);
  }

  /** The preferred usable certificate for encryption, if any. */
  public Optional<Smime> encryptionCertificate() {
    return smime.stream().filter(s -> s.usable() && s.preferred() && s.usages().contains("encrypt")).findFirst();
  }

  /** The usable OpenPGP keys. */
  public List<OpenPgp> usableKeys() {
    return openpgp.stream().filter(OpenPgp::usable).toList();
  }

  /** An S/MIME certificate (PEM) with its chain and whether the server stands behind it. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Smime(String serial, String ca, String profile, String subject, List<String> usages,
      Instant notBefore, Instant notAfter, String status, String revocationReason, String certificate,
      List<String> chain, boolean usable, boolean preferred, List<String> reasons) {}

  /** An OpenPGP key's facts; fetch the key itself with {@code ?format=openpgp}. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record OpenPgp(String fingerprint, String userId, String encryptionSubkey, Instant created,
      Instant expires, boolean revoked, String validity, boolean usable, List<String> reasons) {}
}
