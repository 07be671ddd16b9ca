package io.github.lancesink.partition;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAccessor;
import java.util.Objects;
import java.util.Optional;

/**
 * How partition directories encode their time, e.g. {@code dt=2026-05-04/hour=10/minute=05}.
 * Immutable. A layout parses a partition path into the partition's start time and formats a
 * time back into the path; parsing is strict (a path must format back to itself exactly, so
 * {@code minute=5} or {@code hour=24} are malformed, not silently normalised).
 *
 * <p>The pattern is a {@link DateTimeFormatter} pattern whose literal parts are quoted, for
 * example {@value #DEFAULT_PATTERN}. Its finest field sets the {@linkplain #granularity()
 * granularity}: minute, hour or day.
 *
 * @since 0.1.0
 */
public final class PartitionLayout {
  /** {@code dt=YYYY-MM-DD/hour=HH/minute=MM}. */
  public static final String DEFAULT_PATTERN = "'dt='uuuu-MM-dd'/hour='HH'/minute='mm";

  private static final PartitionLayout DEFAULT = new PartitionLayout(DEFAULT_PATTERN,
      ZoneOffset.UTC);

  private final String pattern;
  private final ZoneId zone;
  private final DateTimeFormatter formatter;
  private final int depth;
  private final ChronoUnit unit;

  private PartitionLayout(String pattern, ZoneId zone) {
    this.pattern = pattern;
    this.zone = zone;
    try {
      this.formatter = DateTimeFormatter.ofPattern(pattern).withResolverStyle(ResolverStyle.STRICT)
          .withZone(zone);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("partition pattern '" + pattern + "' is not a valid"
          + " DateTimeFormatter pattern (quote literals, e.g. " + DEFAULT_PATTERN + "): "
          + e.getMessage(), e);
    }
    String sample = formatter.format(Instant.parse("2026-05-04T10:05:00Z"));
    this.depth = sample.split("/", -1).length;
    this.unit = finestUnit(pattern, formatter);
  }

  /** The default layout {@value #DEFAULT_PATTERN}, in UTC. */
  public static PartitionLayout defaults() {
    return DEFAULT;
  }

  /**
   * A layout with the given pattern, in UTC, e.g. {@code "'date='uuuu-MM-dd'/hr='HH"}.
   *
   * @throws IllegalArgumentException when the pattern is invalid or has no day, hour or minute
   */
  public static PartitionLayout of(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      throw new IllegalArgumentException("partition pattern must be non-blank, e.g. "
          + DEFAULT_PATTERN);
    }
    return new PartitionLayout(pattern, ZoneOffset.UTC);
  }

  /** A copy of this layout whose directory times are read in {@code zone} (default UTC). */
  public PartitionLayout withZone(ZoneId zone) {
    return new PartitionLayout(pattern, Objects.requireNonNull(zone, "zone"));
  }

  public String pattern() {
    return pattern;
  }

  public ZoneId zone() {
    return zone;
  }

  /** How many path segments a partition path has (3 for the default layout). */
  public int depth() {
    return depth;
  }

  /** The time one partition covers: one minute, hour or day. */
  public Duration granularity() {
    return unit.getDuration();
  }

  /** The partition's start time, or empty when {@code path} does not match this layout. */
  public Optional<Instant> tryParse(String path) {
    String p = trim(path);
    try {
      TemporalAccessor ta = formatter.parse(p);
      LocalTime time = LocalTime.of(
          ta.isSupported(ChronoField.HOUR_OF_DAY) ? ta.get(ChronoField.HOUR_OF_DAY) : 0,
          ta.isSupported(ChronoField.MINUTE_OF_HOUR) ? ta.get(ChronoField.MINUTE_OF_HOUR) : 0);
      Instant t = LocalDate.from(ta).atTime(time).atZone(zone).toInstant();
      return format(t).equals(p) ? Optional.of(t) : Optional.empty();
    } catch (DateTimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The partition's start time.
   *
   * @throws IllegalArgumentException naming the path and the expected pattern when it does not
   *     match
   */
  public Instant parse(String path) {
    return tryParse(path).orElseThrow(() -> new IllegalArgumentException(
        "Malformed partition path '" + path + "': expected the layout " + pattern
            + " (for example '" + format(Instant.parse("2026-05-04T10:05:00Z")) + "')"));
  }

  /** The partition path of the partition that contains {@code time}. */
  public String format(Instant time) {
    return formatter.format(truncate(time));
  }

  /** The start of the partition that contains {@code time}. */
  public Instant truncate(Instant time) {
    return time.atZone(zone).truncatedTo(unit).toInstant();
  }

  private static String trim(String path) {
    String p = Objects.requireNonNull(path, "path");
    while (p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }

  private static ChronoUnit finestUnit(String pattern, DateTimeFormatter f) {
    Instant base = Instant.parse("2026-05-04T10:05:00Z");
    String at = f.format(base);
    for (ChronoUnit u : new ChronoUnit[] {ChronoUnit.MINUTES, ChronoUnit.HOURS, ChronoUnit.DAYS}) {
      if (!at.equals(f.format(base.plus(1, u)))) {
        return u;
      }
    }
    throw new IllegalArgumentException("partition pattern '" + pattern + "' must contain at"
        + " least a year, month and day (uuuu, MM, dd), optionally HH and mm");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PartitionLayout l && pattern.equals(l.pattern) && zone.equals(l.zone);
  }

  @Override
  public int hashCode() {
    return Objects.hash(pattern, zone);
  }

  @Override
  public String toString() {
    return "PartitionLayout{" + pattern + " in " + zone + "}";
  }
}
