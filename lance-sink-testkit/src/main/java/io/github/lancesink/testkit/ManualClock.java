package io.github.lancesink.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A {@link Clock} that only moves when told to. Thread-safe; {@link #withZone} returns a view
 * that shares the same instant.
 *
 * @since 0.1.0
 */
public final class ManualClock extends Clock {
  /** The instant a clock created with {@link #ManualClock()} starts at. */
  public static final Instant DEFAULT_START = Instant.parse("2026-01-01T00:00:00Z");

  private final Object lock;
  private final Instant[] now;
  private final ZoneId zone;

  /** A clock at {@link #DEFAULT_START}, UTC. */
  public ManualClock() {
    this(DEFAULT_START);
  }

  /** A clock at {@code start}, UTC. */
  public ManualClock(Instant start) {
    this(new Object(), new Instant[] {Objects.requireNonNull(start, "start")}, ZoneOffset.UTC);
  }

  private ManualClock(Object lock, Instant[] now, ZoneId zone) {
    this.lock = lock;
    this.now = now;
    this.zone = zone;
  }

  /** Moves the clock forward by {@code d} (must not be negative). */
  public ManualClock advance(Duration d) {
    if (d.isNegative()) {
      throw new IllegalArgumentException("a manual clock only moves forward, got " + d);
    }
    synchronized (lock) {
      now[0] = now[0].plus(d);
    }
    return this;
  }

  /** Sets the clock to {@code instant} (must not be before the current instant). */
  public ManualClock set(Instant instant) {
    synchronized (lock) {
      if (instant.isBefore(now[0])) {
        throw new IllegalArgumentException(
            "a manual clock only moves forward: " + instant + " is before " + now[0]);
      }
      now[0] = instant;
    }
    return this;
  }

  @Override
  public Instant instant() {
    synchronized (lock) {
      return now[0];
    }
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId z) {
    return new ManualClock(lock, now, z);
  }

  @Override
  public String toString() {
    return "ManualClock{" + instant() + "}";
  }
}
