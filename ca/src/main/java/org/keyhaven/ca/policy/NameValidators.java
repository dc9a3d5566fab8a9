package org.keyhaven.ca.policy;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.keyhaven.ca.issuance.DnsNames;
import org.keyhaven.ca.issuance.Mailbox;
import org.keyhaven.ca.issuance.Profile;

/** Validators about subject names and subjectAltNames. */
public final class NameValidators {
  private static final Set<ASN1ObjectIdentifier> PERSONA_ATTRIBUTES =
      Set.of(BCStyle.CN, BCStyle.EmailAddress);

  private NameValidators() {}

  /** Each profile needs its kind of name and refuses the others. */
  public static CertificateValidator profileNames() {
    return (req, issuer) -> {
      Profile p = req.profile();
      if (p.isSmime()) {
        if (req.emails().isEmpty()) {
          throw Rules.refuse(Rules.PROFILE_NAMES,
              "profile %s needs at least one email address in subjectAltName", p.wireName());
        }
        if (!req.dnsNames().isEmpty()) {
          throw Rules.refuse(Rules.PROFILE_NAMES, "profile %s does not allow dNSName",
              p.wireName());
        }
      } else if (p == Profile.TLS_SERVER) {
        if (req.dnsNames().isEmpty()) {
          throw Rules.refuse(Rules.PROFILE_NAMES,
              "profile tls-server needs at least one dNSName in subjectAltName");
        }
        if (!req.emails().isEmpty()) {
          throw Rules.refuse(Rules.PROFILE_NAMES, "profile tls-server does not allow email"
              + " addresses");
        }
      } else if (!req.emails().isEmpty() || !req.dnsNames().isEmpty()) {
        throw Rules.refuse(Rules.PROFILE_NAMES, "profile %s does not allow subjectAltName",
            p.wireName());
      }
      // SBR §7.1.4.2.1: a mailbox in the subject must also be in the SAN.
      for (RDN rdn : req.subject().getRDNs(BCStyle.EmailAddress)) {
        String v = rdn.getFirst().getValue().toString();
        if (req.emails().stream().noneMatch(e -> e.equalsIgnoreCase(v))) {
          throw Rules.refuse(Rules.PROFILE_NAMES,
              "subject emailAddress %s is not among the subjectAltName mailboxes", v);
        }
      }
    };
  }

  /**
   * Standard (and high-assurance) name subordination: the subject DN begins with the
   * organisation's RDNs, mailboxes and host names are in the permitted mail domains. These are the
   * same subtrees the CA certificate carries as nameConstraints.
   */
  public static CertificateValidator subordination(X500Name organisation, List<String> domains) {
    return (req, issuer) -> {
      RDN[] org = organisation.getRDNs();
      RDN[] subject = req.subject().getRDNs();
      // Compare with BCStyle's normalising equality (case, string type), as validators do.
      boolean under = subject.length > org.length
          && organisation.equals(new X500Name(Arrays.copyOf(subject, org.length)));
      if (!under) {
        throw Rules.refuse(Rules.NAME_SUBORDINATION,
            "subject '%s' is not under '%s' (CA %s)", req.subject(), organisation, issuer.id());
      }
      for (String email : req.emails()) {
        String d = Mailbox.domain(email);
        if (domains.stream().noneMatch(p -> DnsNames.within(d, p) && sameHost(d, p))) {
          throw Rules.refuse(Rules.NAME_SUBORDINATION,
              "email address %s is outside the permitted mail domains %s (CA %s)", email,
              domains, issuer.id());
        }
      }
      for (String host : req.dnsNames()) {
        if (domains.stream().noneMatch(p -> DnsNames.within(host, p))) {
          throw Rules.refuse(Rules.NAME_SUBORDINATION,
              "host name %s is outside the permitted mail domains %s (CA %s)", host, domains,
              issuer.id());
        }
      }
    };
  }

  /** An rfc822Name constraint of a bare domain covers exactly that host (RFC 5280 §4.2.1.10). */
  private static boolean sameHost(String domain, String permitted) {
    return java.net.IDN.toASCII(domain).equalsIgnoreCase(java.net.IDN.toASCII(permitted));
  }

  /** Persona: pseudonymous subjects carry only CN and emailAddress, no identity claims. */
  public static CertificateValidator pseudonymous() {
    return (req, issuer) -> {
      for (RDN rdn : req.subject().getRDNs()) {
        for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
          if (!PERSONA_ATTRIBUTES.contains(atv.getType())) {
            String name = BCStyle.INSTANCE.oidToDisplayName(atv.getType());
            throw Rules.refuse(Rules.PSEUDONYMOUS,
                "CA %s certifies pseudonyms: subject attribute %s is not allowed (only CN and"
                    + " email)", issuer.id(), name == null ? atv.getType().getId() : name);
          }
        }
      }
    };
  }
}
