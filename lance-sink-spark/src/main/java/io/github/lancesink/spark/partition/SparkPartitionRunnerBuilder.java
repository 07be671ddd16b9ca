package io.github.lancesink.spark.partition;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.Sleeper;
import io.github.lancesink.WriteMode;
import io.github.lancesink.internal.partition.LoopSettings;
import io.github.lancesink.partition.BadPartitionPolicy;
import io.github.lancesink.partition.CompletenessRule;
import io.github.lancesink.partition.LagPolicy;
import io.github.lancesink.partition.LateDataPolicy;
import io.github.lancesink.partition.PartitionEvent;
import io.github.lancesink.partition.PartitionLayout;
import io.github.lancesink.partition.PartitionLister;
import io.github.lancesink.spark.LanceSinkOptions;
import io.github.lancesink.spark.internal.SparkSinkSettings;
import io.github.lancesink.spi.BatchSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * Builds a {@link SparkPartitionRunner}. Setters reject bad values with {@link
 * IllegalArgumentException}; {@link #build()} rejects missing or conflicting settings with
 * {@link IllegalStateException}. Sink settings not given explicitly in {@link
 * #settings(LanceSinkSettings)} come from the Spark session conf keys in {@link
 * LanceSinkOptions}, as for {@code LanceForeachBatch}.
 *
 * @since 0.1.0
 */
public final class SparkPartitionRunnerBuilder {
  /** How often a run lists the base path by default: one minute. */
  public static final Duration DEFAULT_CADENCE = Duration.ofMinutes(1);

  final SparkSession session;
  String basePath;
  LanceSinkSettings settings;
  final Map<String, String> options = new HashMap<>();
  PartitionLayout layout = PartitionLayout.defaults();
  CompletenessRule rule = CompletenessRule.defaults();
  LagPolicy lag = LagPolicy.defaults();
  LateDataPolicy late = LateDataPolicy.defaults();
  BadPartitionPolicy onBadPartition = BadPartitionPolicy.STOP;
  Duration cadence = DEFAULT_CADENCE;
  Clock clock = Clock.systemUTC();
  Sleeper sleeper = Sleeper.SYSTEM;
  final List<Consumer<? super PartitionEvent>> listeners = new ArrayList<>();
  UnaryOperator<BatchSource> sourceDecorator = UnaryOperator.identity();

  SparkPartitionRunnerBuilder(SparkSession session) {
    this.session = Objects.requireNonNull(session, "session");
  }

  /** The directory (any Hadoop path: local, {@code file:}, {@code s3a://}...) to list. */
  public SparkPartitionRunnerBuilder basePath(String path) {
    if (path == null || path.isBlank()) {
      throw new IllegalArgumentException("basePath must be a non-blank path or URI");
    }
    this.basePath = path;
    return this;
  }

  /**
   * The sink settings (required), with a table URI that executors reach too. The writer id
   * also holds the watermark: never share it with another pipeline writing the same table. The
   * write mode decides how partitions are applied; {@code replaceGroups} is required to
   * re-process late data. The lookback also bounds the late-data history.
   */
  public SparkPartitionRunnerBuilder settings(LanceSinkSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    return this;
  }

  /** A writer option, one of the {@link LanceSinkOptions} keys. */
  public SparkPartitionRunnerBuilder option(String key, String value) {
    LanceSinkOptions.requireKey(key, value);
    options.put(key, value);
    return this;
  }

  /** The partition directory layout (default {@link PartitionLayout#DEFAULT_PATTERN}). */
  public SparkPartitionRunnerBuilder layout(PartitionLayout layout) {
    this.layout = Objects.requireNonNull(layout, "layout");
    return this;
  }

  /** When a partition counts as complete (default {@link CompletenessRule#defaults()}). */
  public SparkPartitionRunnerBuilder completeness(CompletenessRule rule) {
    this.rule = Objects.requireNonNull(rule, "rule");
    return this;
  }

  /** What to do when behind (default {@link LagPolicy#catchUp()}). */
  public SparkPartitionRunnerBuilder lagPolicy(LagPolicy policy) {
    this.lag = Objects.requireNonNull(policy, "lagPolicy");
    return this;
  }

  /** What to do with files that change in processed partitions (default report). */
  public SparkPartitionRunnerBuilder lateDataPolicy(LateDataPolicy policy) {
    this.late = Objects.requireNonNull(policy, "lateDataPolicy");
    return this;
  }

  /** What to do with an unreadable partition (default {@link BadPartitionPolicy#STOP}). */
  public SparkPartitionRunnerBuilder onBadPartition(BadPartitionPolicy policy) {
    this.onBadPartition = Objects.requireNonNull(policy, "onBadPartition");
    return this;
  }

  /** How often {@code runUntil}/{@code runFor} start a cycle (default one minute). */
  public SparkPartitionRunnerBuilder cadence(Duration cadence) {
    Objects.requireNonNull(cadence, "cadence");
    if (cadence.isNegative() || cadence.isZero()) {
      throw new IllegalArgumentException("cadence must be positive, was " + cadence);
    }
    this.cadence = cadence;
    return this;
  }

  /** The clock for completeness, deadlines and events (tests pass a manual clock). */
  public SparkPartitionRunnerBuilder clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** How a run waits between cycles (tests pass a sleeper that advances a manual clock). */
  public SparkPartitionRunnerBuilder sleeper(Sleeper sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return this;
  }

  /** Subscribes to partition events from the first cycle on. */
  public SparkPartitionRunnerBuilder onEvent(Consumer<? super PartitionEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  /** Test seam: wraps each partition's source (e.g. to crash between staging and commit). */
  SparkPartitionRunnerBuilder sourceDecorator(UnaryOperator<BatchSource> decorator) {
    this.sourceDecorator = Objects.requireNonNull(decorator, "decorator");
    return this;
  }

  /** Validates the settings and opens the runner's sinks. Opening does not list or write. */
  public SparkPartitionRunner build() {
    if (basePath == null) {
      throw new IllegalStateException("basePath is required: the partitioned directory to list");
    }
    if (settings == null) {
      throw new IllegalStateException("settings are required: .settings(LanceSinkSettings"
          + ".builder().tableUri(..).writerId(..).build())");
    }
    SparkSinkSettings.requireOneTable(settings, null, null);
    WriteMode writeMode = settings.writeMode();
    if (late.kind() == LateDataPolicy.Kind.REPROCESS
        && writeMode.kind() != WriteMode.Kind.REPLACE_GROUPS) {
      throw new IllegalStateException("LateDataPolicy.reprocess() needs"
          + " WriteMode.replaceGroups(column): re-processing a partition in " + writeMode
          + " mode would write its rows twice. Use LateDataPolicy.report(), or replaceGroups"
          + " with a group column that identifies the partition's rows.");
    }
    return SparkPartitionRunner.create(this);
  }

  LoopSettings loopSettings(PartitionLister lister) {
    return new LoopSettings(basePath, lister, layout, rule, lag, late, onBadPartition, cadence,
        clock, sleeper);
  }
}
