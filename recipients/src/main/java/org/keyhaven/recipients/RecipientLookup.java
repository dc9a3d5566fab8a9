package org.keyhaven.recipients;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.keyhaven.ca.CertificateAuthority;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.revocation.RevocationReason;
import org.keyhaven.ca.store.CertificateQuery;
import org.keyhaven.ca.store.CertificateStatus;
import org.keyhaven.common.PkiException;
import org.keyhaven.keyserver.KeyLookup;
import org.keyhaven.keyserver.KeyQuery;
import org.keyhaven.keyserver.StoredKeyring;

/**
 * Answers "what keys may I use to encrypt to, or verify mail from, this address?" from the CA's
 * certificates and the keyserver's keys. Only what the server can stand behind is usable: a good,
 * unexpired certificate with the usage, from our own revocation records; an OpenPGP key that is
 * neither revoked nor expired, has an encryption key, and whose user ID for the address is valid
 * (full or ultimate) in the web of trust from the server's roots. Everything else says why not.
 */
public final class RecipientLookup {
  /** Largest batch in one call; a mailing list of this size encrypts one key header per member. */
  public static final int MAX_BATCH = 5000;

  private final CertificateAuthority ca;
  private final KeyLookup keys;
  private final WotOpinion wot;
  private final Clock clock;
  /** Facts read from DER and key material, checked against the stored bytes on every use. */
  private final ParsedFacts<SmimeUsage> certFacts = new ParsedFacts<>(MAX_PARSED);
  private final ParsedFacts<List<OpenPgpCapabilities.Candidate>> keyFacts =
      new ParsedFacts<>(MAX_PARSED);

  private final Map<String, ChainPem> chainPems = new java.util.concurrent.ConcurrentHashMap<>();

  /** Entries per parse cache (a few hundred bytes each). */
  static final int MAX_PARSED = 250_000;

  public RecipientLookup(CertificateAuthority ca, KeyLookup keys, WotOpinion wot, Clock clock) {
    this.ca = ca;
    this.keys = keys;
    this.wot = wot;
    this.clock = clock;
  }

  /** The answer for one address; with {@code all} false only usable entries are listed. */
  public RecipientAnswer lookup(String email, boolean all) {
    String mailbox = Mailboxes.normalize(email);
    List<IssuedCertificate> certs = ca.certificates(new CertificateQuery(mailbox, null, null, null,
        0, CertificateQuery.MAX_LIMIT)).items();
    return answer(mailbox, certs, keys.find(new KeyQuery.ByEmail(mailbox)), clock.instant(), all);
  }

  private RecipientAnswer answer(String mailbox, List<IssuedCertificate> certs,
      List<StoredKeyring> keyrings, Instant now, boolean all) {
    List<RecipientAnswer.SmimeEntry> smime = smime(mailbox, certs, now);
    List<RecipientAnswer.OpenPgpEntry> pgp = openpgp(mailbox, keyrings, now);
    if (!all) {
      smime = smime.stream().filter(RecipientAnswer.SmimeEntry::usable).toList();
      pgp = pgp.stream().filter(RecipientAnswer.OpenPgpEntry::usable).toList();
    }
    return new RecipientAnswer(mailbox, smime, pgp);
  }

  /** Answers for a whole distribution list, in the order given (duplicates answered once). */
  public Map<String, RecipientAnswer> lookupAll(List<String> emails, boolean all) {
    if (emails == null || emails.isEmpty()) {
      throw PkiException.malformed("'emails' must list at least one address");
    }
    if (emails.size() > MAX_BATCH) {
      throw PkiException.tooLarge("at most %d addresses per call (got %d)", MAX_BATCH, emails.size());
    }
    // The same answers as lookup() one by one, from a few queries for the whole list.
    List<String> mailboxes = emails.stream().map(Mailboxes::normalize).distinct().toList();
    Map<String, List<IssuedCertificate>> certs = ca.certificatesByEmail(mailboxes);
    Map<String, List<StoredKeyring>> keyrings = keys.findByEmails(mailboxes);
    Instant now = clock.instant();
    Map<String, RecipientAnswer> out = new LinkedHashMap<>();
    for (String m : mailboxes) {
      out.put(m, answer(m, certs.getOrDefault(m, List.of()), keyrings.getOrDefault(m, List.of()),
          now, all));
    }
    return out;
  }

  /** The stored keys behind the usable OpenPGP entries, as served (for ?format=openpgp and WKD). */
  public List<StoredKeyring> usableKeys(RecipientAnswer answer) {
    List<StoredKeyring> out = new ArrayList<>();
    for (RecipientAnswer.OpenPgpEntry e : answer.openpgp()) {
      if (e.usable()) {
        keys.find(new KeyQuery.ByEmail(answer.email())).stream()
            .filter(k -> k.fingerprint().upperHex().equals(e.fingerprint()))
            .findFirst().ifPresent(out::add);
      }
    }
    return out;
  }

  public KeyLookup keyLookup() {
    return keys;
  }

  private List<RecipientAnswer.SmimeEntry> smime(String mailbox, List<IssuedCertificate> certs,
      Instant now) {
    List<RecipientAnswer.SmimeEntry> entries = new ArrayList<>();
    Map<String, List<String>> chains = new LinkedHashMap<>();
    for (IssuedCertificate c : certs) {
      if (IssuedCertificate.CA_PROFILE.equals(c.profile())) {
        continue;
      }
      SmimeUsage usage = certFacts.get(c.serialHex(), c.der().toByteArray(), SmimeUsage::of);
      if (!usage.mailboxes().contains(mailbox)) {
        continue; // RFC 8398: only a subjectAltName rfc822Name/SmtpUTF8Mailbox names the mailbox
      }
      List<String> reasons = new ArrayList<>();
      String status = status(c, now);
      if (!status.equals("good")) {
        reasons.add(status);
      }
      if (!usage.emailProtection()) {
        reasons.add("no emailProtection extended key usage");
      }
      if (usage.usages().isEmpty()) {
        reasons.add("no encryption or signing key usage");
      }
      String reasonName = c.status().state() == CertificateStatus.State.REVOKED
          ? reasonName(c.status().reasonCode()) : null;
      List<String> chain = chains.computeIfAbsent(c.caId().value(), id -> chainPem(c.caId()));
      entries.add(new RecipientAnswer.SmimeEntry(c.serialHex(), c.caId().value(), c.profile(),
          c.subject(), usage.usages(), c.notBefore(), c.notAfter(), status, reasonName, c.pem(), chain,
          reasons.isEmpty(), false, reasons));
    }
    return markPreferred(entries);
  }

  /** A CA's chain as PEM, encoded again only when the chain's certificates change. */
  private List<String> chainPem(org.keyhaven.ca.CaId caId) {
    List<org.keyhaven.common.Bytes> der = ca.chain(caId);
    ChainPem hit = chainPems.get(caId.value());
    if (hit != null && hit.der().equals(der)) {
      return hit.pem();
    }
    List<String> pem = der.stream()
        .map(b -> IssuedCertificate.pem("CERTIFICATE", b.toByteArray())).toList();
    chainPems.put(caId.value(), new ChainPem(der, pem));
    return pem;
  }

  private record ChainPem(List<org.keyhaven.common.Bytes> der, List<String> pem) {}

  /** The newest usable certificate per usage is preferred. */
  private static List<RecipientAnswer.SmimeEntry> markPreferred(List<RecipientAnswer.SmimeEntry> entries) {
    List<RecipientAnswer.SmimeEntry> sorted = new ArrayList<>(entries);
    sorted.sort(Comparator.comparing(RecipientAnswer.SmimeEntry::notBefore).reversed()
        .thenComparing(RecipientAnswer.SmimeEntry::serial));
    List<String> covered = new ArrayList<>();
    List<RecipientAnswer.SmimeEntry> out = new ArrayList<>();
    for (RecipientAnswer.SmimeEntry e : sorted) {
      boolean preferred = false;
      if (e.usable()) {
        for (String u : e.usages()) {
          if (!covered.contains(u)) {
            covered.add(u);
            preferred = true;
          }
        }
      }
      out.add(new RecipientAnswer.SmimeEntry(e.serial(), e.ca(), e.profile(), e.subject(), e.usages(),
          e.notBefore(), e.notAfter(), e.status(), e.revocationReason(), e.certificate(), e.chain(),
          e.usable(), preferred, e.reasons()));
    }
    return out;
  }

  static String status(IssuedCertificate c, Instant now) {
    CertificateStatus s = c.status();
    if (s.state() == CertificateStatus.State.REVOKED) {
      return "revoked";
    }
    if (s.state() == CertificateStatus.State.HOLD) {
      return "on hold";
    }
    if (!c.notAfter().isAfter(now)) {
      return "expired";
    }
    if (c.notBefore().isAfter(now)) {
      return "not yet valid";
    }
    return "good";
  }

  private static String reasonName(Integer code) {
    if (code == null) {
      return "unspecified";
    }
    try {
      return RevocationReason.ofCode(code).rfcName();
    } catch (RuntimeException e) {
      return "reason " + code;
    }
  }

  private List<RecipientAnswer.OpenPgpEntry> openpgp(String mailbox, List<StoredKeyring> keyrings,
      Instant now) {
    List<RecipientAnswer.OpenPgpEntry> out = new ArrayList<>();
    for (StoredKeyring k : keyrings) {
      var idx = k.index();
      var uid = idx.userIds().stream()
          .filter(u -> !u.attribute() && mailbox.equals(u.email()))
          .min(Comparator.comparing(u -> u.revoked()));
      if (uid.isEmpty()) {
        continue;
      }
      String fpr = k.fingerprint().upperHex();
      List<String> reasons = new ArrayList<>();
      if (idx.revoked()) {
        reasons.add("revoked");
      }
      if (idx.expiredAt(now)) {
        reasons.add("expired");
      }
      if (uid.get().revoked()) {
        reasons.add("user ID revoked");
      }
      Optional<String> enc = OpenPgpCapabilities.encryptionKey(keyFacts.get(fpr,
          k.firstParty().toByteArray(), OpenPgpCapabilities::candidates), now);
      if (enc.isEmpty()) {
        reasons.add("no usable encryption key");
      }
      String validity = idx.revoked() ? "revoked" : idx.expiredAt(now) ? "expired"
          : wot.validity(fpr, uid.get().text());
      if (reasons.isEmpty() && !WotOpinion.trusted(validity)) {
        reasons.add("not valid in the web of trust (" + validity + ")");
      }
      out.add(new RecipientAnswer.OpenPgpEntry(fpr, uid.get().text(), enc.orElse(null), idx.created(),
          idx.expires(), idx.revoked(), validity, reasons.isEmpty(), reasons));
    }
    return out;
  }
}
