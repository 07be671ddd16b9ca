package io.github.lancesink.partition;

import java.time.Duration;
import java.util.Objects;

/**
 * What the runner does when it has fallen behind. Immutable.
 *
 * <ul>
 *   <li>{@link Kind#CATCH_UP}: process every missed complete partition, oldest first, never
 *       passing an incomplete one. Nothing is lost; freshness recovers only as fast as the
 *       backlog drains. The only safe choice when every partition counts (billing, audit).
 *   <li>{@link Kind#SKIP_TO_LATEST}: when the newest complete partition is more than {@link
 *       #maxLag()} ahead of the watermark, jump straight to it. The partitions in between are
 *       never processed; the skipped range is returned in the cycle result, published as a
 *       {@link PartitionEvent.PartitionsSkipped} event and logged at WARN. Suits freshness paths
 *       whose partitions are overlapping windows of the same state.
 * </ul>
 *
 * @since 0.1.0
 */
public final class LagPolicy {
  /** The lag beyond which {@link Kind#SKIP_TO_LATEST} skips: 15 minutes. */
  public static final Duration DEFAULT_MAX_LAG = Duration.ofMinutes(15);

  /** The two lag strategies. */
  public enum Kind {
    /** Process every missed partition, in order. */
    CATCH_UP,
    /** Jump to the newest complete partition when the lag exceeds the limit. */
    SKIP_TO_LATEST
  }

  private static final LagPolicy CATCH_UP = new LagPolicy(Kind.CATCH_UP, DEFAULT_MAX_LAG);

  private final Kind kind;
  private final Duration maxLag;

  private LagPolicy(Kind kind, Duration maxLag) {
    this.kind = kind;
    this.maxLag = maxLag;
  }

  /** {@link Kind#CATCH_UP}, the default. */
  public static LagPolicy defaults() {
    return CATCH_UP;
  }

  /** Process every missed complete partition in order. */
  public static LagPolicy catchUp() {
    return CATCH_UP;
  }

  /**
   * Skip to the newest complete partition when it is more than {@code maxLag} ahead of the
   * watermark.
   *
   * @throws IllegalArgumentException when {@code maxLag} is negative
   */
  public static LagPolicy skipToLatest(Duration maxLag) {
    Objects.requireNonNull(maxLag, "maxLag");
    if (maxLag.isNegative()) {
      throw new IllegalArgumentException("maxLag must be zero or positive, was " + maxLag);
    }
    return new LagPolicy(Kind.SKIP_TO_LATEST, maxLag);
  }

  public Kind kind() {
    return kind;
  }

  /** The lag beyond which {@link Kind#SKIP_TO_LATEST} skips (unused by catch-up). */
  public Duration maxLag() {
    return maxLag;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LagPolicy p && kind == p.kind && maxLag.equals(p.maxLag);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, maxLag);
  }

  @Override
  public String toString() {
    return kind == Kind.CATCH_UP ? "LagPolicy.catchUp()"
        : "LagPolicy.skipToLatest(" + maxLag + ")";
  }
}
