package io.github.lancesink.spark.partition;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkBuilder;
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
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spark.LanceSinkOptions;
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
 * {@link IllegalStateException}. Sink settings not given here come from the Spark session conf
 * keys in {@link LanceSinkOptions}, as for {@code LanceForeachBatch}.
 *
 * @since 0.1.0
 */
public final class SparkPartitionRunnerBuilder {
  /** How often a run lists the base path by default: one minute. */
  public static final Duration DEFAULT_CADENCE = Duration.ofMinutes(1);

  private final LanceSinkBuilder check = LanceSink.builder();
  final SparkSession session;
  String basePath;
  String tableUri;
  Map<String, String> storageOptions = Map.of();
  String writerId;
  WriteMode writeMode = WriteMode.append();
  String vectorColumn;
  int dimension;
  RetryPolicy retryPolicy;
  OptimizePolicy optimizePolicy;
  Integer lookback;
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

  /** Local path or object-store URI of the Lance dataset; executors must reach it too. */
  public SparkPartitionRunnerBuilder tableUri(String uri) {
    check.tableUri(uri);
    this.tableUri = uri;
    return this;
  }

  /** Options handed to Lance on the driver and on executors. Never printed. */
  public SparkPartitionRunnerBuilder storageOptions(Map<String, String> options) {
    check.storageOptions(options);
    this.storageOptions = Map.copyOf(options);
    return this;
  }

  /**
   * The stable dedup namespace, which also holds the watermark. Never share it with another
   * pipeline writing the same table.
   */
  public SparkPartitionRunnerBuilder writerId(String id) {
    check.writerId(id);
    this.writerId = id;
    return this;
  }

  /** How partitions are applied; {@code replaceGroups} is required to re-process late data. */
  public SparkPartitionRunnerBuilder writeMode(WriteMode mode) {
    this.writeMode = Objects.requireNonNull(mode, "writeMode");
    return this;
  }

  /** The vector column, a Spark {@code ARRAY<FLOAT>} stored as {@code FixedSizeList}. */
  public SparkPartitionRunnerBuilder vectorColumn(String column, int dimension) {
    check.vectorColumn(column, dimension);
    this.vectorColumn = column;
    this.dimension = dimension;
    return this;
  }

  public SparkPartitionRunnerBuilder retryPolicy(RetryPolicy policy) {
    this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
    return this;
  }

  public SparkPartitionRunnerBuilder optimizePolicy(OptimizePolicy policy) {
    this.optimizePolicy = Objects.requireNonNull(policy, "optimizePolicy");
    return this;
  }

  /** Versions a cold ledger lookup (and the late-data history) walks back at most. */
  public SparkPartitionRunnerBuilder lookback(int versions) {
    check.lookback(versions);
    this.lookback = versions;
    return this;
  }

  /** A writer option, one of the {@link LanceSinkOptions} keys. */
  public SparkPartitionRunnerBuilder option(String key, String value) {
    if (key == null || !key.startsWith(LanceSinkOptions.PREFIX) || value == null) {
      throw new IllegalArgumentException("option keys start with '" + LanceSinkOptions.PREFIX
          + "' and values are non-null; key was '" + key + "'");
    }
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
    if (tableUri == null) {
      throw new IllegalStateException("tableUri is required");
    }
    if (writerId == null) {
      throw new IllegalStateException("writerId is required: the dedup and watermark namespace");
    }
    if (late.kind() == LateDataPolicy.Kind.REPROCESS) {
      if (writeMode.kind() != WriteMode.Kind.REPLACE_GROUPS) {
        throw new IllegalStateException("LateDataPolicy.reprocess() needs"
            + " WriteMode.replaceGroups(column): re-processing a partition in " + writeMode
            + " mode would write its rows twice. Use LateDataPolicy.report(), or replaceGroups"
            + " with a group column that identifies the partition's rows.");
      }
    }
    if (writeMode.kind() != WriteMode.Kind.APPEND && writeMode.keys().contains(vectorColumn)) {
      throw new IllegalStateException(
          "the vector column '" + vectorColumn + "' cannot also be a key column");
    }
    return SparkPartitionRunner.create(this);
  }

  LoopSettings loopSettings(PartitionLister lister) {
    return new LoopSettings(basePath, lister, layout, rule, lag, late, onBadPartition, cadence,
        clock, sleeper);
  }
}
