package io.github.lancesink;

import java.time.Duration;

/**
 * Waits between retry attempts. Injected so tests can run retries without real waiting; the
 * default sleeps the calling thread.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface Sleeper {

  /** Sleeps the current thread. */
  Sleeper SYSTEM =
      d -> {
        if (!d.isZero() && !d.isNegative()) {
          Thread.sleep(d.toMillis(), (int) (d.toNanosPart() % 1_000_000));
        }
      };

  /** Waits for {@code duration}; may return early only by throwing. */
  void sleep(Duration duration) throws InterruptedException;
}
