package io.github.lancesink;

/**
 * The dedup ledger cannot decide whether a batch was already committed, or the batch contradicts
 * the ledger (a new source lineage reusing batch ids). The sink fails closed rather than risk a
 * duplicate or a silent skip; the message says how to resolve it.
 *
 * @since 0.1.0
 */
public class LedgerException extends LanceSinkException {
  private static final long serialVersionUID = 1L;

  public LedgerException(String message) {
    super(message, null);
  }

  public LedgerException(String message, Throwable cause) {
    super(message, cause);
  }
}
