package io.github.lancesink.internal;

import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.RetryableException;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.Backoff;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retry bookkeeping for one batch commit. Resilience4j decides whether and after how long to
 * retry (so its registry, events and metrics see every attempt); the sink's injected sleeper
 * does the waiting. Only {@link RetryableException}s are retried; state-unknown failures are
 * counted separately and only after the ledger was reconciled.
 */
final class CommitRetry {
  private static final Logger LOG = LoggerFactory.getLogger(CommitRetry.class);

  private final SinkConfig config;
  private final EventBus events;
  private final Retry retry;

  CommitRetry(SinkConfig config, EventBus events) {
    this.config = config;
    this.events = events;
    Backoff backoff = config.retryPolicy().backoff();
    RetryConfig r4j =
        RetryConfig.custom()
            .maxAttempts(config.retryPolicy().maxAttempts())
            .intervalBiFunction(
                (IntervalBiFunction<Object>) (attempt, either) -> backoff.delay(attempt).toMillis())
            .retryOnException(e -> e instanceof RetryableException)
            .failAfterMaxAttempts(false)
            .build();
    this.retry = config.retryRegistry().retry("lance-sink-" + config.writerId(), r4j);
  }

  Attempts start(long batchId) {
    return new Attempts(batchId, retry.asyncContext());
  }

  /** The attempts of one batch. */
  final class Attempts {
    private final long batchId;
    private final Retry.AsyncContext<Object> context;
    private int count;
    private int unknowns;

    Attempts(long batchId, Retry.AsyncContext<Object> context) {
      this.batchId = batchId;
      this.context = context;
    }

    void next() {
      count++;
    }

    int count() {
      return count;
    }

    void succeeded() {
      context.onComplete();
    }

    /** Waits before the next attempt, or rethrows when the policy is exhausted. */
    void retryable(RetryableException e) {
      long delayMillis = context.onError(e);
      if (delayMillis < 0) {
        LOG.error("lance-sink writer '{}' batch {}: giving up after {} attempts: {}",
            config.writerId(), batchId, count, e.getMessage());
        throw e;
      }
      waitBeforeRetry(Duration.ofMillis(delayMillis), e, e.getMessage());
    }

    /** After reconciliation proved the commit absent: waits, or rethrows when exhausted. */
    void stateUnknown(CommitStateUnknownException e) {
      unknowns++;
      if (unknowns > config.retryPolicy().maxStateUnknownReconciles()
          || count >= config.retryPolicy().maxAttempts()) {
        throw e;
      }
      waitBeforeRetry(config.retryPolicy().backoff().delay(unknowns), e,
          "state unknown, marker absent after reconcile: " + e.getMessage());
    }

    private void waitBeforeRetry(Duration delay, RuntimeException cause, String reason) {
      LOG.warn("lance-sink writer '{}' batch {}: attempt {} failed, retrying in {} ms: {}",
          config.writerId(), batchId, count, delay.toMillis(), reason);
      events.publish(new SinkEvent.RetryScheduled(config.writerId(), config.clock().instant(),
          batchId, count, delay, reason));
      try {
        config.sleeper().sleep(delay);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        throw cause;
      }
    }
  }
}
