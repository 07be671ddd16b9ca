package io.github.lancesink;

/**
 * Another writer committed a version the commit could not be rebased over. Nothing of this
 * commit landed. The sink refreshes, re-checks the ledger and retries.
 *
 * @since 0.1.0
 */
public class CommitConflictException extends RetryableException {
  private static final long serialVersionUID = 1L;

  public CommitConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}
