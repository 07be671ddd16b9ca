package io.github.lancesink.partition;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Decides whether a partition is complete, i.e. safe to process. Rules are pure functions of an
 * {@link Observation}; the runner supplies the time and what it has seen so far. Combine them
 * with {@link #allOf} and {@link #anyOf}.
 *
 * <p>Success markers are not trusted blindly: an object store may list the marker before every
 * data file is visible, and retried writer tasks may add files after it. The {@linkplain
 * #defaults() default} therefore also asks for a stable listing.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface CompletenessRule {

  /** How long a listing must stay unchanged under the default rule. */
  Duration DEFAULT_STABLE_FOR = Duration.ofSeconds(30);

  /**
   * What the runner knows about a partition when it asks a rule.
   *
   * @param partition the partition as listed now
   * @param now the runner's clock
   * @param unchangedSince since when this runner has seen exactly these files (same
   *     fingerprint); {@code now} on the first sighting, also after a restart
   * @param laterPartitionExists whether any partition with a later time is listed
   */
  record Observation(
      PartitionSnapshot partition, Instant now, Instant unchangedSince,
      boolean laterPartitionExists) {
    public Observation {
      Objects.requireNonNull(partition, "partition");
      Objects.requireNonNull(now, "now");
      Objects.requireNonNull(unchangedSince, "unchangedSince");
    }

    /** How long the listing has been unchanged. */
    public Duration stableFor() {
      return Duration.between(unchangedSince, now);
    }
  }

  /** True when the partition may be processed now. */
  boolean isComplete(Observation observation);

  /** A short description for logs and errors. */
  default String description() {
    return getClass().getSimpleName();
  }

  /**
   * A marker, or a later partition, and a listing stable for {@link #DEFAULT_STABLE_FOR}:
   * {@code allOf(anyOf(successMarker(), nextPartitionExists()), stableFor(30s))}.
   */
  static CompletenessRule defaults() {
    return allOf(anyOf(successMarker(), nextPartitionExists()), stableFor(DEFAULT_STABLE_FOR));
  }

  /** Complete when the {@value PartitionSnapshot#SUCCESS_MARKER} file is present. */
  static CompletenessRule successMarker() {
    return named(o -> o.partition().successMarker(), "successMarker");
  }

  /**
   * Complete when this runner has seen the same files for at least {@code duration}. A partition
   * is never complete on its first sighting, so a restart waits {@code duration} again.
   */
  static CompletenessRule stableFor(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("stableFor needs a positive duration, was " + duration);
    }
    return named(o -> o.stableFor().compareTo(duration) >= 0,
        "stableFor(" + duration.toSeconds() + "s)");
  }

  /** Complete when a partition with a later time is listed. */
  static CompletenessRule nextPartitionExists() {
    return named(Observation::laterPartitionExists, "nextPartitionExists");
  }

  /** Complete when every rule says so. */
  static CompletenessRule allOf(CompletenessRule... rules) {
    List<CompletenessRule> all = check("allOf", rules);
    return named(o -> all.stream().allMatch(r -> r.isComplete(o)), join("allOf", all));
  }

  /** Complete when at least one rule says so. */
  static CompletenessRule anyOf(CompletenessRule... rules) {
    List<CompletenessRule> any = check("anyOf", rules);
    return named(o -> any.stream().anyMatch(r -> r.isComplete(o)), join("anyOf", any));
  }

  private static List<CompletenessRule> check(String what, CompletenessRule... rules) {
    if (rules == null || rules.length == 0) {
      throw new IllegalArgumentException(what + " needs at least one rule");
    }
    for (CompletenessRule r : rules) {
      if (r == null) {
        throw new IllegalArgumentException(what + " rules must not be null");
      }
    }
    return List.of(rules);
  }

  private static String join(String what, List<CompletenessRule> rules) {
    return rules.stream().map(CompletenessRule::description)
        .collect(Collectors.joining(", ", what + "(", ")"));
  }

  private static CompletenessRule named(CompletenessRule rule, String description) {
    return new CompletenessRule() {
      @Override
      public boolean isComplete(Observation observation) {
        return rule.isComplete(observation);
      }

      @Override
      public String description() {
        return description;
      }

      @Override
      public String toString() {
        return description;
      }
    };
  }
}
