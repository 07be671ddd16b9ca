package io.github.lancesink.spark;

import io.github.lancesink.BatchResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one {@code foreachBatch} call did, handed to a {@link BatchListener} on the driver.
 *
 * @param queryId the Spark query id used as the source lineage (survives restarts)
 * @param result the core's result: committed, skipped as a duplicate, or empty
 * @param sourceCommitTimestamp the newest {@code _commit_timestamp} in the batch, when the
 *     stream is a Delta change feed and the batch had rows
 * @param committedAt when the Lance commit returned, by the sink's clock
 * @param freshnessLag {@code committedAt - sourceCommitTimestamp} for committed change-feed
 *     batches: how long the newest source change took to become searchable in Lance
 * @since 0.1.0
 */
public record BatchReport(
    String queryId,
    BatchResult result,
    Optional<Instant> sourceCommitTimestamp,
    Instant committedAt,
    Optional<Duration> freshnessLag) {

  /** The Spark batch id. */
  public long batchId() {
    return result.batchId();
  }
}
