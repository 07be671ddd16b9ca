package io.github.lancesink.policy;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;

/**
 * How the sink retries failures that are known to have had no effect (I/O before the commit,
 * throttling, commit conflicts). Failures whose effect is unknown are never retried blindly: the
 * sink reconciles with the ledger first, and {@link #maxStateUnknownReconciles()} bounds how
 * often it does so. Fatal failures (schema, configuration, bad rows) are never retried.
 *
 * <p>Immutable; build with {@link #builder()} or start from {@link #defaults()}.
 *
 * @since 0.1.0
 */
public final class RetryPolicy implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final int DEFAULT_MAX_ATTEMPTS = 6;
  public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(200);
  public static final double DEFAULT_MULTIPLIER = 2.0;
  public static final double DEFAULT_JITTER = 0.5;
  public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(20);
  public static final int DEFAULT_MAX_STATE_UNKNOWN_RECONCILES = 3;

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Backoff backoff;
  private final int maxStateUnknownReconciles;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.maxStateUnknownReconciles = b.maxStateUnknownReconciles;
  }

  /** 6 attempts, exponential random backoff from 200 ms doubling to at most 20 s, 3 reconciles. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** One attempt, no retries. Failures surface immediately. */
  public static RetryPolicy noRetries() {
    return builder().maxAttempts(1).backoff(Backoff.none()).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.backoff = backoff;
    b.maxStateUnknownReconciles = maxStateUnknownReconciles;
    return b;
  }

  /** Total attempts for one batch commit, including the first. */
  public int maxAttempts() {
    return maxAttempts;
  }

  public Backoff backoff() {
    return backoff;
  }

  /** How many state-unknown failures one batch may reconcile before the sink gives up. */
  public int maxStateUnknownReconciles() {
    return maxStateUnknownReconciles;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && maxAttempts == p.maxAttempts
        && maxStateUnknownReconciles == p.maxStateUnknownReconciles
        && backoff.equals(p.backoff);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, backoff, maxStateUnknownReconciles);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts
        + ", maxStateUnknownReconciles=" + maxStateUnknownReconciles + "}";
  }

  /** Builder for {@link RetryPolicy}. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Backoff backoff =
        Backoff.exponentialRandom(
            DEFAULT_INITIAL_BACKOFF, DEFAULT_MULTIPLIER, DEFAULT_JITTER, DEFAULT_MAX_BACKOFF);
    private int maxStateUnknownReconciles = DEFAULT_MAX_STATE_UNKNOWN_RECONCILES;

    private Builder() {}

    /** Total attempts including the first; 1 to 100. */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1 || attempts > 100) {
        throw new IllegalArgumentException("maxAttempts must be within [1, 100], was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    public Builder backoff(Backoff backoff) {
      if (backoff == null) {
        throw new IllegalArgumentException("backoff must not be null; use Backoff.none()");
      }
      this.backoff = backoff;
      return this;
    }

    /** 0 to 100; 0 means a state-unknown failure is reconciled once and then surfaced. */
    public Builder maxStateUnknownReconciles(int reconciles) {
      if (reconciles < 0 || reconciles > 100) {
        throw new IllegalArgumentException(
            "maxStateUnknownReconciles must be within [0, 100], was " + reconciles);
      }
      this.maxStateUnknownReconciles = reconciles;
      return this;
    }

    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
