package io.github.lancesink.spark.internal;

import io.github.lancesink.spi.StagedFragments;
import java.io.Serializable;

/**
 * What one executor task returns to the driver: fragment metadata only (never rows), the row
 * count, the newest change-feed commit timestamp, and the first row violation if any.
 *
 * @param partition the partition index, to pick the first offending row deterministically
 * @param fragments the staged fragments, or null when the partition wrote nothing
 * @param rows rows written
 * @param maxCommitMicros newest {@code _commit_timestamp} in microseconds, or Long.MIN_VALUE
 * @param violationColumn the offending column, or null when the rows were valid
 * @param violationRule what the rule says
 * @param violationCount offending rows in this partition
 * @param firstBadRow identity of the first offending row in this partition
 */
public record PartitionResult(
    int partition,
    StagedFragments fragments,
    long rows,
    long maxCommitMicros,
    String violationColumn,
    String violationRule,
    long violationCount,
    String firstBadRow)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  static PartitionResult empty(int partition) {
    return new PartitionResult(partition, null, 0, Long.MIN_VALUE, null, null, 0, null);
  }

  boolean invalid() {
    return violationColumn != null;
  }
}
