package io.github.lancesink.testkit;

import io.github.lancesink.Sleeper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link Sleeper} that never blocks: it records every requested wait and, when given a {@link
 * ManualClock}, advances it by the wait so durations stay consistent. Thread-safe.
 *
 * @since 0.1.0
 */
public final class RecordingSleeper implements Sleeper {
  private final ManualClock clock;
  private final List<Duration> sleeps = new ArrayList<>();

  private RecordingSleeper(ManualClock clock) {
    this.clock = clock;
  }

  /** Records waits without moving any clock. */
  public static RecordingSleeper create() {
    return new RecordingSleeper(null);
  }

  /** Records waits and advances {@code clock} by each one. */
  public static RecordingSleeper advancing(ManualClock clock) {
    return new RecordingSleeper(java.util.Objects.requireNonNull(clock, "clock"));
  }

  /** A sleeper that returns at once and records nothing. */
  public static Sleeper noOp() {
    return d -> { };
  }

  @Override
  public void sleep(Duration duration) {
    synchronized (sleeps) {
      sleeps.add(duration);
    }
    if (clock != null && !duration.isNegative()) {
      clock.advance(duration);
    }
  }

  /** Every wait requested so far, in order (an immutable copy). */
  public List<Duration> sleeps() {
    synchronized (sleeps) {
      return List.copyOf(sleeps);
    }
  }

  /** The sum of every wait requested so far. */
  public Duration total() {
    return sleeps().stream().reduce(Duration.ZERO, Duration::plus);
  }
}
