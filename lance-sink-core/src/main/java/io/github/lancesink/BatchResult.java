package io.github.lancesink;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * What one call to {@link LanceSink#write} did.
 *
 * @param batchId the caller's batch id
 * @param outcome committed, skipped as a duplicate, or empty
 * @param version the Lance version holding this batch's marker: the new version when committed,
 *     the version that already held it when skipped (if known), empty for an empty batch
 * @param rows rows in the batch as delivered (before change-feed collapsing)
 * @param deletedRows stored rows removed by the batch (keyed modes), 0 for append
 * @param absentDeletes deletes of keys that were not stored (a no-op, counted)
 * @param attempts commit attempts, 1 when the first attempt landed
 * @param writeDuration time spent writing fragments
 * @param commitDuration time spent committing, including retries
 * @since 0.1.0
 */
public record BatchResult(
    long batchId,
    Outcome outcome,
    OptionalLong version,
    long rows,
    long deletedRows,
    long absentDeletes,
    int attempts,
    Duration writeDuration,
    Duration commitDuration) {

  /** The outcome of a batch. */
  public enum Outcome {
    /** The batch's data and marker landed in one new version. */
    COMMITTED,
    /** The ledger shows this batch (or a later one) was already committed; nothing written. */
    SKIPPED_DUPLICATE,
    /** The batch held no rows; nothing was committed and the ledger did not move. */
    EMPTY
  }

  public BatchResult {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(writeDuration, "writeDuration");
    Objects.requireNonNull(commitDuration, "commitDuration");
  }

  /** True when this call created a new version. */
  public boolean committed() {
    return outcome == Outcome.COMMITTED;
  }
}
