package io.github.lancesink;

/**
 * The commit call failed, but the commit may have landed (for example the connection broke
 * after the manifest was written). Never retry blindly: the sink re-reads the ledger from the
 * table and only re-commits when the marker is provably absent.
 *
 * @since 0.1.0
 */
public class CommitStateUnknownException extends LanceSinkException {
  private static final long serialVersionUID = 1L;

  public CommitStateUnknownException(String message, Throwable cause) {
    super(message, cause);
  }
}
