package io.github.lancesink.policy;

import java.time.Duration;

/** Range checks shared by the policy builders; messages name the value and the allowed range. */
final class Checks {
  private Checks() {}

  static long range(String name, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(
          name + " must be within [" + min + ", " + max + "], was " + value);
    }
    return value;
  }

  static Duration duration(String name, Duration d, Duration min, boolean zeroOk) {
    if (d == null || d.compareTo(min) < 0 || d.compareTo(Duration.ofDays(1)) > 0
        || (!zeroOk && d.isZero())) {
      throw new IllegalArgumentException(
          name + " must be within [" + min + ", PT24H], was " + d);
    }
    return d;
  }
}
