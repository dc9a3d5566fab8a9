package org.keyhaven.server.web;

import java.util.List;

/** The console dashboard: counts and the audit chain's state. */
public record Dashboard(List<Count> counts, boolean auditIntact, long auditEntries, String auditProblem) {
  /** One labelled count. */
  public record Count(String label, long value) {}
}
