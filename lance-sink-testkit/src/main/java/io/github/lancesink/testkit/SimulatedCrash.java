package io.github.lancesink.testkit;

import java.util.Objects;

/**
 * Thrown at an armed {@link CrashPoint} to simulate the death of the process. Deliberately NOT a
 * {@link io.github.lancesink.LanceSinkException}: the sink must not classify or retry it, just as
 * it cannot react to a {@code kill -9}. Whoever catches it must treat the sink instance as dead
 * and start a new one (a cold ledger), as {@link MicroBatchDriver} does.
 *
 * @since 0.1.0
 */
public final class SimulatedCrash extends RuntimeException
    implements io.github.lancesink.spi.SimulatedFailure {
  private static final long serialVersionUID = 1L;

  private final CrashPoint point;

  /** A crash at {@code point}. */
  public SimulatedCrash(CrashPoint point) {
    super("simulated crash at " + Objects.requireNonNull(point, "point"), null, false, false);
    this.point = point;
  }

  /** Where the crash happened. */
  public CrashPoint point() {
    return point;
  }
}
