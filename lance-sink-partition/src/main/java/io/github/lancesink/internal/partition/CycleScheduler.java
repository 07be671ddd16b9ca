package io.github.lancesink.internal.partition;

import io.github.lancesink.partition.CycleResult;
import io.github.lancesink.partition.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Runs cycles on a cadence until a deadline, a stop request or a caller's condition. */
final class CycleScheduler {
  /** The cycles run and why the run ended. */
  record Outcome(List<CycleResult> cycles, RunSummary.StopReason reason) {}

  private CycleScheduler() {}

  static Outcome run(LoopSettings s, Supplier<CycleResult> cycle, BooleanSupplier stopRequested,
      Instant deadline, BooleanSupplier stop) {
    List<CycleResult> cycles = new ArrayList<>();
    while (true) {
      if (stopRequested.getAsBoolean()) {
        return new Outcome(cycles, RunSummary.StopReason.STOP_REQUESTED);
      }
      if (stop.getAsBoolean()) {
        return new Outcome(cycles, RunSummary.StopReason.CONDITION);
      }
      Instant cycleStart = s.clock().instant();
      if (!cycleStart.isBefore(deadline)) {
        return new Outcome(cycles, RunSummary.StopReason.DEADLINE);
      }
      cycles.add(cycle.get());
      Instant wake = cycleStart.plus(s.cadence());
      Instant now = s.clock().instant();
      Instant until = wake.isBefore(deadline) ? wake : deadline;
      if (now.isBefore(until) && !stopRequested.getAsBoolean() && !stop.getAsBoolean()) {
        try {
          s.sleeper().sleep(Duration.between(now, until));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Outcome(cycles, RunSummary.StopReason.STOP_REQUESTED);
        }
      }
    }
  }
}
