package org.keyhaven.client;

/**
 * A lookup that failed: the server refused it (status 4xx/5xx with its one-line detail), or it
 * could not be reached or did not answer in time (status 0).
 */
public final class KeyhavenClientException extends RuntimeException {
  private final int status;

  public KeyhavenClientException(int status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }
}
