package org.keyhaven.common;

/** What went wrong, in terms every protocol edge can map to its own status codes. */
public enum ErrorKind {
  /** The client sent something that cannot be decoded or is invalid. */
  MALFORMED,
  /** The client asked for something valid that we do not support. */
  UNSUPPORTED,
  /** The named thing does not exist. */
  NOT_FOUND,
  /** The caller is not authenticated. */
  UNAUTHENTICATED,
  /** The caller is authenticated but may not do this. */
  FORBIDDEN,
  /** A policy rule refuses the request; the detail names the rule. */
  POLICY_VIOLATION,
  /** The request conflicts with current state (duplicate, wrong state). */
  CONFLICT,
  /** The request or one of its parts is larger than a configured limit. */
  TOO_LARGE,
  /** The caller is sending too much; try later. */
  RATE_LIMITED,
  /** A dependency is temporarily unavailable. */
  UNAVAILABLE,
  /** Our own fault; the detail is never shown to the client. */
  INTERNAL
}
