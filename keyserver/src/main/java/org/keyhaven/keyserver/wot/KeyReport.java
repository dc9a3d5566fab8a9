package org.keyhaven.keyserver.wot;

import java.util.List;

/**
 * One key seen from the server's trust root: its validity and why, who certified it and whom it
 * certifies (certifications that count now).
 */
public record KeyReport(
    KeyValidity validity, Explanation explanation, List<Hop> certifiedBy, List<Hop> certifies) {

  public KeyReport {
    certifiedBy = List.copyOf(certifiedBy);
    certifies = List.copyOf(certifies);
  }
}
