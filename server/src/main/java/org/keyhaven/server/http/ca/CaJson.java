package org.keyhaven.server.http.ca;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.keyhaven.ca.Approval;
import org.keyhaven.ca.IssuedCertificate;
import org.keyhaven.ca.hierarchy.CaNode;
import org.keyhaven.ca.keys.KeyReference;
import org.keyhaven.common.Bytes;

/** JSON shapes of the CA API (maps keep field order stable and nulls explicit). */
final class CaJson {
  private CaJson() {}

  static Map<String, Object> certificate(IssuedCertificate c, boolean withPem) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("serial", c.serialHex());
    m.put("ca", c.caId().value());
    m.put("profile", c.profile());
    m.put("subject", c.subject());
    m.put("emails", c.emails());
    m.put("notBefore", c.notBefore().toString());
    m.put("notAfter", c.notAfter().toString());
    m.put("status", c.status().state().code());
    m.put("revocationReason", c.status().reasonCode());
    m.put("revokedAt", c.status().revokedAt() == null ? null : c.status().revokedAt().toString());
    m.put("issuedAt", c.issuedAt().toString());
    m.put("requestedBy", c.requestedBy());
    if (withPem) {
      m.put("certificate", c.pem());
    }
    return m;
  }

  static Map<String, Object> ca(CaNode n, boolean withPem) {
    var cert = n.certificateHolder();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", n.id().value());
    m.put("parent", n.parent().map(Object::toString).orElse(null));
    m.put("policy", n.policy().wireName());
    m.put("policyOid", n.policyOid());
    m.put("pathLength", n.pathLength() < 0 ? null : n.pathLength());
    m.put("subject", cert.getSubject().toString());
    m.put("serial", cert.getSerialNumber().toString(16));
    m.put("notBefore", cert.getNotBefore().toInstant().toString());
    m.put("notAfter", cert.getNotAfter().toInstant().toString());
    m.put("status", n.status().wireName());
    m.put("keyAlgorithm", n.key().algorithm().wireName());
    m.put("keyStorage", n.key() instanceof KeyReference.Token ? "pkcs11" : "software");
    m.put("imported", n.imported());
    if (withPem) {
      m.put("certificate", pem(n.certificate()));
    }
    return m;
  }

  static Map<String, Object> approval(Approval a) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", a.id());
    m.put("ca", a.caId().value());
    m.put("profile", a.profile());
    m.put("subject", a.subject());
    m.put("status", a.status().code());
    m.put("requestedBy", a.requestedBy());
    m.put("requestedAt", a.requestedAt().toString());
    m.put("decidedBy", a.decidedBy());
    m.put("decidedAt", a.decidedAt() == null ? null : a.decidedAt().toString());
    m.put("serial", a.serial() == null ? null : a.serial().toString(16));
    m.put("reason", a.reason());
    return m;
  }

  /** Issuer, serial and notAfter of each certificate (cross-certificates in the CA list). */
  static List<Map<String, Object>> summaries(List<Bytes> ders) {
    return ders.stream().map(d -> {
      try {
        var h = new org.bouncycastle.cert.X509CertificateHolder(d.toByteArray());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", h.getIssuer().toString());
        m.put("serial", h.getSerialNumber().toString(16));
        m.put("notAfter", h.getNotAfter().toInstant().toString());
        return m;
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }).toList();
  }

  static String pem(Bytes der) {
    return IssuedCertificate.pem("CERTIFICATE", der.toByteArray());
  }

  static List<String> pems(List<Bytes> ders) {
    return ders.stream().map(CaJson::pem).toList();
  }
}
