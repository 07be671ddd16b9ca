package io.github.lancesink.internal.maintenance;

import java.time.Duration;

/** How long a failed maintenance action waits before it is planned again. Pure function. */
final class ActionBackoff {
  private ActionBackoff() {}

  /**
   * The wait after the {@code failures}-th consecutive failure: {@code base}, doubling per
   * failure, at most 32 x {@code base} (a table that keeps failing is retried about every half
   * hour at the default one minute, not every minute, and never less often than that).
   */
  static Duration delay(Duration base, int failures) {
    return base.multipliedBy(1L << Math.min(Math.max(failures, 1) - 1, 5));
  }
}
