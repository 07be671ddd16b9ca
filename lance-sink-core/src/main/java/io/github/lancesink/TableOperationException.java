package io.github.lancesink;

/**
 * A non-retryable failure of the underlying table (Lance) port. The message names the
 * operation and the (redacted) table URI; the cause is the original Lance error with any
 * credentials removed from its message.
 *
 * @since 0.1.0
 */
public class TableOperationException extends LanceSinkException {
  private static final long serialVersionUID = 1L;

  private final String operation;

  public TableOperationException(String operation, String message, Throwable cause) {
    super(message, cause);
    this.operation = operation;
  }

  /** The port operation that failed, e.g. {@code commit} or {@code writeFragments}. */
  public String operation() {
    return operation;
  }
}
