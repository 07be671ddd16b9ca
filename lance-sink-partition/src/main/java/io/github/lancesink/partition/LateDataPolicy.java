package io.github.lancesink.partition;

import java.time.Duration;
import java.util.Objects;

/**
 * What the runner does when files change in a partition it already processed (a late file, a
 * retried writer task, a rewritten file). Immutable.
 *
 * <p>Detection compares the partition's current {@linkplain PartitionSnapshot#fingerprint()
 * fingerprint} with the one committed, atomically with the data, in the Lance commit that
 * processed it; so detection survives restarts. Only partitions within {@link #window()} of the
 * watermark are watched.
 *
 * <ul>
 *   <li>{@link Kind#REPORT}: publish a {@link PartitionEvent.LateDataDetected} event, log at
 *       WARN and list it in the cycle result. Nothing is written. Once per change per run.
 *   <li>{@link Kind#REPROCESS}: re-read the whole partition and write it again. Only allowed
 *       with {@code WriteMode.replaceGroups(column)} where the group column identifies the
 *       partition's rows, so the rewrite replaces the earlier rows instead of adding to them.
 *       The rewrite is committed by the same writer with the next revision id ({@link
 *       PartitionBatchIds}), and its commit records the partition's new fingerprint, so it
 *       happens once per change even across crashes and restarts.
 * </ul>
 *
 * @since 0.1.0
 */
public final class LateDataPolicy {
  /** How far behind the watermark partitions are watched by default: one hour. */
  public static final Duration DEFAULT_WINDOW = Duration.ofHours(1);

  /** The late-data actions. */
  public enum Kind {
    /** Detect and report; write nothing. */
    REPORT,
    /** Detect and write the partition again (replaceGroups only). */
    REPROCESS
  }

  private final Kind kind;
  private final Duration window;

  private LateDataPolicy(Kind kind, Duration window) {
    this.kind = kind;
    this.window = window;
  }

  /** {@link Kind#REPORT} with the default window. */
  public static LateDataPolicy defaults() {
    return report();
  }

  /** Report late files; write nothing. */
  public static LateDataPolicy report() {
    return new LateDataPolicy(Kind.REPORT, DEFAULT_WINDOW);
  }

  /** Re-process partitions whose files changed (requires {@code replaceGroups}). */
  public static LateDataPolicy reprocess() {
    return new LateDataPolicy(Kind.REPROCESS, DEFAULT_WINDOW);
  }

  /**
   * A copy that watches partitions up to {@code window} behind the watermark.
   *
   * @throws IllegalArgumentException when the window is negative
   */
  public LateDataPolicy withWindow(Duration window) {
    Objects.requireNonNull(window, "window");
    if (window.isNegative()) {
      throw new IllegalArgumentException("late-data window must be zero or positive, was "
          + window);
    }
    return new LateDataPolicy(kind, window);
  }

  public Kind kind() {
    return kind;
  }

  /** How far behind the watermark partitions are watched for changes. */
  public Duration window() {
    return window;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LateDataPolicy p && kind == p.kind && window.equals(p.window);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, window);
  }

  @Override
  public String toString() {
    return "LateDataPolicy{" + kind + ", window=" + window + "}";
  }
}
