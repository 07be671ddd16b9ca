package io.github.lancesink.partition;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.time.Instant;

/**
 * What a bounded run of cycles did and why it stopped.
 *
 * @param cycles the cycles, in order
 * @param stopReason why the run ended
 * @param ran how long the run took by the runner's clock
 * @param watermark the watermark when it ended
 * @since 0.1.0
 */
public record RunSummary(List<CycleResult> cycles, StopReason stopReason, Duration ran,
    Optional<Instant> watermark) {

  /** Why a run ended. */
  public enum StopReason {
    /** The deadline (maximum run time) was reached. */
    DEADLINE,
    /** {@code requestStop()} was called. */
    STOP_REQUESTED,
    /** The caller's stop condition returned true. */
    CONDITION
  }

  public RunSummary {
    cycles = List.copyOf(cycles);
  }

  /** The number of partitions processed over all cycles. */
  public int partitionsProcessed() {
    return cycles.stream().mapToInt(c -> c.processed().size()).sum();
  }
}
