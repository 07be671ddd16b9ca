package io.github.lancesink.partition;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one cycle of a partition runner did (one listing, then the partitions it decided on).
 *
 * @param at when the cycle started
 * @param watermarkBefore the newest partition time processed before the cycle
 * @param watermarkAfter the newest partition time processed after the cycle
 * @param processed partitions written in order (including empty and already committed ones)
 * @param skipped the range skipped by {@link LagPolicy.Kind#SKIP_TO_LATEST}, if any
 * @param lateData partitions found changed after processing
 * @param reprocessed partitions written again under {@link LateDataPolicy.Kind#REPROCESS}
 * @param failed partitions that could not be read
 * @param malformed paths that do not match the layout
 * @param waiting listed partitions after the watermark not written: under catch-up, from the
 *     first incomplete one on (complete ones held behind it included); after a skip, those
 *     after the partition jumped to
 * @since 0.1.0
 */
public record CycleResult(
    Instant at,
    Optional<Instant> watermarkBefore,
    Optional<Instant> watermarkAfter,
    List<PartitionEvent.PartitionProcessed> processed,
    Optional<PartitionEvent.PartitionsSkipped> skipped,
    List<PartitionEvent.LateDataDetected> lateData,
    List<PartitionEvent.PartitionReprocessed> reprocessed,
    List<PartitionEvent.PartitionFailed> failed,
    List<PartitionEvent.MalformedPath> malformed,
    List<String> waiting) {

  public CycleResult {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(watermarkBefore, "watermarkBefore");
    Objects.requireNonNull(watermarkAfter, "watermarkAfter");
    Objects.requireNonNull(skipped, "skipped");
    processed = List.copyOf(processed);
    lateData = List.copyOf(lateData);
    reprocessed = List.copyOf(reprocessed);
    failed = List.copyOf(failed);
    malformed = List.copyOf(malformed);
    waiting = List.copyOf(waiting);
  }

  /** The paths processed in this cycle, in order. */
  public List<String> processedPaths() {
    return processed.stream().map(PartitionEvent.PartitionProcessed::path).toList();
  }
}
