package io.github.lancesink.policy;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The named {@link Backoff} factories' implementations: records, so two equal backoffs are
 * equal, also after Java serialization (a settings value shipped to Spark executors compares
 * equal to the driver's).
 */
final class Backoffs {
  private Backoffs() {}

  record None() implements Backoff {
    @Override
    public Duration delay(int attempt) {
      return Duration.ZERO;
    }
  }

  record Fixed(Duration delay) implements Backoff {
    @Override
    public Duration delay(int attempt) {
      return delay;
    }
  }

  record ExponentialRandom(Duration initial, double multiplier, double jitter, Duration max)
      implements Backoff {
    @Override
    public Duration delay(int attempt) {
      double base = initial.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
      double capped = Math.min(base, (double) max.toNanos());
      double spread = capped * jitter;
      double value = capped - spread + ThreadLocalRandom.current().nextDouble() * 2 * spread;
      return Duration.ofNanos((long) Math.min(Math.max(0, value), max.toNanos()));
    }
  }
}
