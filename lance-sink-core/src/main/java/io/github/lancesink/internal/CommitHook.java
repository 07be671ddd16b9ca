package io.github.lancesink.internal;

/**
 * What the protocol calls around each data commit (Delta's {@code PostCommitHook}): maintenance
 * is handed to the protocol as one, instead of being built inside it.
 */
public interface CommitHook extends AutoCloseable {

  /** A hook that does nothing. */
  CommitHook NONE = new CommitHook() {
    @Override
    public void beforeCommit(long batchId, int fragments, long rows) {}

    @Override
    public void afterCommit(long batchId, long version, int fragments, long rows) {}

    @Override
    public void close() {}
  };

  /**
   * After batch {@code batchId} was staged ({@code fragments} fragments, {@code rows} rows) and
   * before it commits. May stall the write, or throw {@link io.github.lancesink.RetryableException}
   * to fail the batch before anything is committed.
   */
  void beforeCommit(long batchId, int fragments, long rows);

  /** After the commit of batch {@code batchId} landed as {@code version}. Never throws. */
  void afterCommit(long batchId, long version, int fragments, long rows);

  /** Stops background work. Idempotent. */
  @Override
  void close();
}
