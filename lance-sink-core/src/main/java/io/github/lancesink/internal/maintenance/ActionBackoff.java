package io.github.lancesink.internal.maintenance;

import java.time.Duration;

/** How long a failed maintenance action waits before it is planned again. Pure function. */
final class ActionBackoff {
  private ActionBackoff() {}

  /**
   * The wait after the {@code failures}-th consecutive failure: {@code base}, doubling per
   * failure, at most 32 x {@code base} (with the default one minute, an action that keeps
   * failing is retried every 32 minutes, not every minute).
   */
  static Duration delay(Duration base, int failures) {
    return base.multipliedBy(1L << Math.min(Math.max(failures, 1) - 1, 5));
  }
}
