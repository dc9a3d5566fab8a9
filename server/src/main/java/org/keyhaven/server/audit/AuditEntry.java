package org.keyhaven.server.audit;

import java.time.Instant;

/** One row of the audit log, with its link in the hash chain. */
public record AuditEntry(
    long seq,
    Instant at,
    String actor,
    String action,
    String target,
    String outcome,
    String detail,
    String prevHash,
    String entryHash) {}
