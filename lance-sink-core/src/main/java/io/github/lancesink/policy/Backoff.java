package io.github.lancesink.policy;

import java.io.Serializable;
import java.time.Duration;

/**
 * The wait before retry attempt {@code n} (1-based: the wait after the first failure is {@code
 * delay(1)}). Instances are immutable and serializable; the named factories return values that are
 * equal when built from equal arguments.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Backoff extends Serializable {

  /** The wait before the retry that follows failed attempt {@code attempt} (1-based). */
  Duration delay(int attempt);

  /** No wait between attempts. Useful in tests. */
  static Backoff none() {
    return new Backoffs.None();
  }

  /** The same wait before every retry. */
  static Backoff fixed(Duration wait) {
    requireNonNegative("wait", wait);
    return new Backoffs.Fixed(wait);
  }

  /**
   * Exponential backoff with random jitter: {@code initial * multiplier^(attempt-1)}, capped at
   * {@code max}, then spread uniformly by {@code +-jitter} (0 to 1) of itself.
   */
  static Backoff exponentialRandom(
      Duration initial, double multiplier, double jitter, Duration max) {
    requireNonNegative("initial", initial);
    requireNonNegative("max", max);
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1.0, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be within [0, 1], was " + jitter);
    }
    if (max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "max (" + max + ") must not be shorter than initial (" + initial + ")");
    }
    return new Backoffs.ExponentialRandom(initial, multiplier, jitter, max);
  }

  private static void requireNonNegative(String name, Duration d) {
    if (d == null || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be a non-negative duration, was " + d);
    }
  }
}
