package io.github.lancesink.partition;

/**
 * What the runner does when a partition cannot be read (an unreadable or corrupt file). Paths
 * that do not match the layout are never processed and never block: they are reported as
 * {@link PartitionEvent.MalformedPath} whatever this policy says.
 *
 * @since 0.1.0
 */
public enum BadPartitionPolicy {
  /**
   * Stop the cycle with a {@link PartitionSourceException} naming the path. The watermark stays
   * before the bad partition, so a restart retries it: no gap, but no progress until fixed.
   * The default.
   */
  STOP,
  /**
   * Report the partition ({@link PartitionEvent.PartitionFailed}, WARN, cycle result) and go
   * on with later partitions. Once a later partition commits, the bad one is behind the
   * watermark and is not retried automatically: a gap, made visible.
   */
  SKIP_AND_REPORT
}
