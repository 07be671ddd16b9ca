package io.github.lancesink.testkit;

import io.github.lancesink.BatchResult;
import java.util.Objects;
import java.util.Optional;

/**
 * What one {@link MicroBatchDriver#step()} did.
 *
 * @param kind whether a batch ran to its checkpoint, crashed, or there was nothing to run
 * @param batchId the batch id that ran (-1 when idle)
 * @param replay whether this run replayed a batch planned before a restart
 * @param result what the sink returned, if it returned before the step ended
 * @param crash where the simulated crash happened, if one did
 * @since 0.1.0
 */
public record StepResult(Kind kind, long batchId, boolean replay, Optional<BatchResult> result,
    Optional<CrashPoint> crash) {

  /** How a step ended. */
  public enum Kind {
    /** foreachBatch returned and the commit entry was written: the batch is acknowledged. */
    ACKNOWLEDGED,
    /** A {@link SimulatedCrash} killed the "process"; call {@link MicroBatchDriver#restart()}. */
    CRASHED,
    /** No input was waiting. */
    IDLE
  }

  public StepResult {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(crash, "crash");
  }
}
