package io.github.lancesink;

/**
 * Base of every exception thrown by lance-sink. Subclasses are grouped by what the caller
 * should do next, not by where the failure happened:
 *
 * <ul>
 *   <li>{@link RetryableException}: known to have failed without effect; safe to retry.
 *   <li>{@link CommitStateUnknownException}: the commit may or may not have landed; the ledger
 *       must be re-read before anything else is attempted.
 *   <li>{@link ConfigurationException}: bad configuration or schema; fix and restart.
 *   <li>{@link InvalidBatchException}: bad input rows; fix the data.
 *   <li>{@link LedgerException}: the dedup ledger cannot prove exactly-once; fails closed.
 *   <li>{@link TableOperationException}: a non-retryable failure of the table port.
 * </ul>
 *
 * <p>Messages never contain storage credentials.
 *
 * @since 0.1.0
 */
public abstract class LanceSinkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected LanceSinkException(String message, Throwable cause) {
    super(message, cause);
  }

  /** Whether a caller may retry the same call without first reconciling with the ledger. */
  public boolean isRetryable() {
    return false;
  }
}
