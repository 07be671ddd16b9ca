package io.github.lancesink.testkit;

/**
 * Named points in one micro-batch where a simulated process crash can be injected, in the order
 * a batch passes them.
 *
 * @since 0.1.0
 */
public enum CrashPoint {
  /** Before any fragment of the batch is written. */
  BEFORE_WRITE,
  /** The batch's fragments are written (uncommitted orphans), the commit was not attempted. */
  AFTER_FRAGMENTS_WRITTEN,
  /** The commit with the marker landed, then the process died before the sink returned. */
  AFTER_COMMIT_BEFORE_RESULT,
  /**
   * The sink returned its result, then the process died before the engine recorded the batch in
   * its checkpoint (Spark's {@code commits/N}). Injected by {@link MicroBatchDriver}, not by a
   * table.
   */
  AFTER_RESULT_BEFORE_CHECKPOINT;

  /** True for the points a {@link FaultInjectingTable} injects (all but the checkpoint one). */
  public boolean isTableLevel() {
    return this != AFTER_RESULT_BEFORE_CHECKPOINT;
  }
}
