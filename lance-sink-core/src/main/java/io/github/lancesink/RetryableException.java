package io.github.lancesink;

/**
 * A failure that is known to have had no effect on the table (I/O error before the commit,
 * throttling, a commit conflict). The sink retries these itself according to its {@link
 * io.github.lancesink.policy.RetryPolicy}; the exception reaches the caller only once the
 * policy's attempts are exhausted.
 *
 * @since 0.1.0
 */
public class RetryableException extends LanceSinkException {
  private static final long serialVersionUID = 1L;

  public RetryableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public boolean isRetryable() {
    return true;
  }
}
