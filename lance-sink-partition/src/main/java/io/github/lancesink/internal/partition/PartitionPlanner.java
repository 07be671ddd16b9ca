package io.github.lancesink.internal.partition;

import io.github.lancesink.partition.CompletenessRule;
import io.github.lancesink.partition.LagPolicy;
import io.github.lancesink.partition.PartitionSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides, from one listing and the watermark, which partitions to process in order and what the
 * lag policy skips. Pure: the caller supplies completeness as a predicate.
 */
public final class PartitionPlanner {
  private PartitionPlanner() {}

  /** A skip decided by {@link LagPolicy.Kind#SKIP_TO_LATEST}. */
  public record Skip(Instant from, Instant to, Instant jumpedTo, Duration lag,
      List<String> paths) {}

  /** The decision: partitions to process (in order), the skip, and those left waiting. */
  public record Plan(List<PartitionSnapshot> process, Optional<Skip> skip,
      List<String> waiting) {}

  /**
   * @param partitions every listed partition, sorted by time
   * @param watermark the newest partition time already processed, if any
   * @param complete whether a partition is complete now
   * @param granularity the layout's partition length
   */
  public static Plan plan(List<PartitionSnapshot> partitions, Optional<Instant> watermark,
      Predicate<PartitionSnapshot> complete, LagPolicy lag, Duration granularity) {
    List<PartitionSnapshot> pending = partitions.stream()
        .filter(p -> watermark.isEmpty() || p.time().isAfter(watermark.get())).toList();
    if (pending.isEmpty()) {
      return new Plan(List.of(), Optional.empty(), List.of());
    }
    List<Boolean> done = pending.stream().map(complete::test).toList();
    if (lag.kind() == LagPolicy.Kind.SKIP_TO_LATEST) {
      int newest = done.lastIndexOf(true);
      if (newest >= 0) {
        Instant latest = pending.get(newest).time();
        Instant base = watermark.orElse(pending.get(0).time());
        Duration behind = Duration.between(base, latest);
        if (behind.compareTo(lag.maxLag()) > 0 && (watermark.isPresent() || newest > 0)) {
          Instant from = watermark.map(w -> w.plus(granularity)).orElse(pending.get(0).time());
          Instant to = latest.minus(granularity);
          List<String> skipped = pending.subList(0, newest).stream()
              .map(PartitionSnapshot::path).toList();
          List<String> waiting = pending.subList(newest + 1, pending.size()).stream()
              .map(PartitionSnapshot::path).toList();
          Optional<Skip> skip = from.isAfter(to) ? Optional.empty()
              : Optional.of(new Skip(from, to, latest, behind, skipped));
          return new Plan(List.of(pending.get(newest)), skip, waiting);
        }
      }
    }
    // catch up: the complete prefix, never passing an incomplete partition
    List<PartitionSnapshot> process = new ArrayList<>();
    int i = 0;
    while (i < pending.size() && done.get(i)) {
      process.add(pending.get(i++));
    }
    List<String> waiting = pending.subList(i, pending.size()).stream()
        .map(PartitionSnapshot::path).toList();
    return new Plan(process, Optional.empty(), waiting);
  }
}
