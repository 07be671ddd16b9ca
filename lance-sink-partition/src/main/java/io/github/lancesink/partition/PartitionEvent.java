package io.github.lancesink.partition;

import io.github.lancesink.BatchResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Something a partition runner did, stamped by its injected clock. Never contains credentials.
 *
 * @since 0.1.0
 */
public sealed interface PartitionEvent {

  /** When it happened, by the runner's clock. */
  Instant at();

  /**
   * A partition went through the sink as batch {@code batchId} ({@link PartitionBatchIds}).
   * {@code outcome} is COMMITTED, SKIPPED_DUPLICATE (already committed before a restart) or
   * EMPTY.
   */
  record PartitionProcessed(Instant at, String path, Instant time, long batchId,
      BatchResult.Outcome outcome, OptionalLong version, long rows, int files)
      implements PartitionEvent {}

  /**
   * {@link LagPolicy.Kind#SKIP_TO_LATEST} jumped from the watermark to {@code jumpedTo}: every
   * partition with a time in [{@code from}, {@code to}] is never processed. {@code paths} lists
   * the ones that were listed at the time.
   */
  record PartitionsSkipped(Instant at, Optional<Instant> watermark, Instant from, Instant to,
      Instant jumpedTo, Duration lag, List<String> paths) implements PartitionEvent {
    public PartitionsSkipped {
      paths = List.copyOf(paths);
    }
  }

  /** Files changed in an already processed partition. */
  record LateDataDetected(Instant at, String path, Instant time, int filesBefore, int filesNow,
      LateDataPolicy.Kind action) implements PartitionEvent {}

  /**
   * A partition was written again after late data, as batch {@code batchId} whose {@code
   * revision} counts the re-processings since the watermark partition ({@link
   * PartitionBatchIds}).
   */
  record PartitionReprocessed(Instant at, String path, Instant time, long batchId,
      long revision, BatchResult.Outcome outcome, OptionalLong version, long rows)
      implements PartitionEvent {}

  /** A partition could not be read; {@code action} says whether the cycle stopped. */
  record PartitionFailed(Instant at, String path, String message, BadPartitionPolicy action)
      implements PartitionEvent {}

  /** A path under the base path does not match the layout; it is ignored. */
  record MalformedPath(Instant at, String path, String message) implements PartitionEvent {}
}
