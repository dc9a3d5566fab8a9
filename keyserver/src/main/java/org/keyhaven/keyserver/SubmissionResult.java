package org.keyhaven.keyserver;

import java.util.List;
import org.keyhaven.common.ErrorKind;

/** What an upload did, key by key. */
public record SubmissionResult(List<KeyOutcome> outcomes) {

  public SubmissionResult {
    outcomes = List.copyOf(outcomes);
  }

  /** What happened to one key. */
  public enum Status { ADDED, UPDATED, UNCHANGED, REJECTED }

  /**
   * One key's outcome.
   *
   * @param fingerprint the key, or null when the key packet itself was unreadable
   * @param status what happened
   * @param reason why it was rejected (kind of the error), or null
   * @param detail a one-line explanation for the client
   */
  public record KeyOutcome(Fingerprint fingerprint, Status status, ErrorKind reason, String detail) {}

  public long count(Status s) {
    return outcomes.stream().filter(o -> o.status() == s).count();
  }

  /** True when at least one key was stored, updated or already present. */
  public boolean anyAccepted() {
    return outcomes.stream().anyMatch(o -> o.status() != Status.REJECTED);
  }
}
