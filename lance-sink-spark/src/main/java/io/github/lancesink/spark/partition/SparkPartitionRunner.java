package io.github.lancesink.spark.partition;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.Sleeper;
import io.github.lancesink.partition.BadPartitionPolicy;
import io.github.lancesink.partition.CompletenessRule;
import io.github.lancesink.partition.CycleResult;
import io.github.lancesink.partition.LagPolicy;
import io.github.lancesink.partition.LateDataPolicy;
import io.github.lancesink.partition.PartitionEvent;
import io.github.lancesink.partition.PartitionLayout;
import io.github.lancesink.partition.PartitionRunner;
import io.github.lancesink.partition.RunSummary;
import io.github.lancesink.spark.LanceSinkOptions;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.spark.internal.HadoopPartitionLister;
import io.github.lancesink.spark.internal.ParquetPartitionSource;
import io.github.lancesink.spark.internal.SparkBatchSource;
import io.github.lancesink.spark.internal.SparkSinkSettings;
import io.github.lancesink.spi.BatchSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.apache.spark.sql.SparkSession;

/**
 * Processes time-partitioned Parquet files ({@code dt=2026-05-04/hour=10/minute=05/...}) into
 * a Lance table, one complete partition per batch, with exactly-once effect.
 *
 * <pre>{@code
 * LanceSinkSettings settings = LanceSinkSettings.builder()
 *     .tableUri("s3://index/ads.lance").writerId("ads-partitions")
 *     .writeMode(WriteMode.replaceGroups("minute_ts")).vectorColumn("vector", 128)
 *     .build();
 * try (SparkPartitionRunner runner = SparkPartitionRunner.builder(spark)
 *     .basePath("s3a://feeds/ads/")
 *     .settings(settings)
 *     .completeness(CompletenessRule.defaults())
 *     .lagPolicy(LagPolicy.catchUp())
 *     .cadence(Duration.ofMinutes(1))
 *     .build()) {
 *   runner.runFor(Duration.ofHours(6));   // scheduled restart: stop cleanly, exit, start again
 * }
 * }</pre>
 *
 * <p>Each cycle lists the base path through Hadoop's {@code FileSystem}, decides which
 * partitions are complete ({@link io.github.lancesink.partition.CompletenessRule}), and writes
 * each one through {@link LanceSink} exactly as {@code LanceForeachBatch} writes a micro-batch:
 * executors convert rows to Arrow and write Lance fragments, the driver commits them once with
 * the dedup marker. The batch id encodes the partition's start time ({@link
 * io.github.lancesink.partition.PartitionBatchIds}), so the
 * watermark <em>is</em> the sink's ledger: a restart resumes from the table itself, with no
 * Spark checkpoint and no side file. A partition interrupted by a crash is written again on
 * restart (its fragments were never committed); one whose commit landed is not.
 *
 * <p>A plain Java object, not a streaming query: call {@link #runOnce()} from your own
 * scheduler, or {@link #runUntil} / {@link #runFor} to loop on the {@linkplain
 * Builder#cadence(Duration) cadence}. {@link #requestStop()} (thread-safe)
 * ends a run after the partition in progress. Not thread-safe otherwise.
 *
 * @since 0.1.0
 */
public final class SparkPartitionRunner implements AutoCloseable {
  private final PartitionRunner runner;

  private SparkPartitionRunner(PartitionRunner runner) {
    this.runner = runner;
  }

  /** A builder reading with {@code session}. */
  public static Builder builder(SparkSession session) {
    return new Builder(session);
  }

  /**
   * One cycle: list, decide, write every partition the policies allow, in time order.
   *
   * @throws io.github.lancesink.partition.PartitionSourceException when a partition cannot be
   *     read under {@link io.github.lancesink.partition.BadPartitionPolicy#STOP}, or the base
   *     path cannot be listed
   */
  public CycleResult runOnce() {
    return runner.runOnce();
  }

  /** Runs cycles on the cadence until {@code deadline} or a stop request. */
  public RunSummary runUntil(Instant deadline) {
    return runner.runUntil(deadline);
  }

  /** Runs cycles on the cadence until {@code stop} returns true (checked between cycles). */
  public RunSummary runUntil(BooleanSupplier stop) {
    return runner.runUntil(stop);
  }

  /**
   * Runs cycles for at most {@code maxRunTime} (by the runner's clock), then returns: the
   * documented way to restart on a schedule. Resuming needs nothing but a new runner.
   */
  public RunSummary runFor(Duration maxRunTime) {
    return runner.runFor(maxRunTime);
  }

  /** Ends the current run after the partition in progress. Thread-safe. */
  public void requestStop() {
    runner.requestStop();
  }

  /** The newest partition time processed (read from the table on first use). */
  public Optional<Instant> watermark() {
    return runner.watermark();
  }

  /** Subscribes to partition events (skips, late data, failures, processed partitions). */
  public SparkPartitionRunner onEvent(Consumer<? super PartitionEvent> listener) {
    runner.onEvent(listener);
    return this;
  }

  /** The sink that writes new partitions (its events and ledger). */
  public LanceSink sink() {
    return runner.sink();
  }

  @Override
  public void close() {
    runner.close();
  }

  /** The core runner with Spark's lister and source (kept here so the builder stays small). */
  static SparkPartitionRunner create(Builder b) {
    SparkSinkSettings settings = new SparkSinkSettings(b.settings, Map.copyOf(b.options),
        List.of(), null);
    SparkSinkSettings.Resolved resolved = settings.resolve(b.session);
    LanceSinkSettings sinkSettings = resolved.settings();
    TableFactory tables = settings.tables(resolved);
    HadoopPartitionLister lister = new HadoopPartitionLister(b.basePath,
        b.session.sparkContext().hadoopConfiguration());
    UnaryOperator<BatchSource> decorate = b.sourceDecorator;
    PartitionRunner runner = b.runner
        .lister(lister)
        .sink(LanceSink.builder().settings(sinkSettings).clock(b.clock).sleeper(b.sleeper))
        .sleeper(b.sleeper)
        .source(p -> decorate.apply(new ParquetPartitionSource(b.session, lister, p,
            df -> new SparkBatchSource(df, tables, sinkSettings, List.of(),
                resolved.arrowBatchRows()))))
        .build();
    return new SparkPartitionRunner(runner);
  }

  /**
   * Builds a {@link SparkPartitionRunner}: the sink settings, the base path, and the partition
   * policies of the core {@link PartitionRunner.Builder} (which validates them). Setters reject
   * bad values with {@link IllegalArgumentException}; {@link #build()} rejects missing or
   * conflicting settings with {@link IllegalStateException}. Sink settings not given explicitly
   * in {@link #settings(LanceSinkSettings)} come from the Spark session conf keys in {@link
   * LanceSinkOptions}, as for {@code LanceForeachBatch}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    /** How often a run lists the base path by default: one minute. */
    public static final Duration DEFAULT_CADENCE = PartitionRunner.Builder.DEFAULT_CADENCE;

    private final SparkSession session;
    private final PartitionRunner.Builder runner = PartitionRunner.builder();
    private String basePath;
    private LanceSinkSettings settings;
    private final Map<String, String> options = new HashMap<>();
    private Clock clock = Clock.systemUTC();
    private Sleeper sleeper = Sleeper.SYSTEM;
    private UnaryOperator<BatchSource> sourceDecorator = UnaryOperator.identity();

    private Builder(SparkSession session) {
      this.session = Objects.requireNonNull(session, "session");
    }

    /** The directory (any Hadoop path: local, {@code file:}, {@code s3a://}...) to list. */
    public Builder basePath(String path) {
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
    public Builder settings(LanceSinkSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** A writer option, one of the {@link LanceSinkOptions} keys. */
    public Builder option(String key, String value) {
      LanceSinkOptions.requireKey(key, value);
      options.put(key, value);
      return this;
    }

    /** See {@link PartitionRunner.Builder#layout}. */
    public Builder layout(PartitionLayout layout) {
      runner.layout(layout);
      return this;
    }

    /** See {@link PartitionRunner.Builder#completeness}. */
    public Builder completeness(CompletenessRule rule) {
      runner.completeness(rule);
      return this;
    }

    /** See {@link PartitionRunner.Builder#lagPolicy}. */
    public Builder lagPolicy(LagPolicy policy) {
      runner.lagPolicy(policy);
      return this;
    }

    /** See {@link PartitionRunner.Builder#lateDataPolicy}. */
    public Builder lateDataPolicy(LateDataPolicy policy) {
      runner.lateDataPolicy(policy);
      return this;
    }

    /** See {@link PartitionRunner.Builder#onBadPartition}. */
    public Builder onBadPartition(BadPartitionPolicy policy) {
      runner.onBadPartition(policy);
      return this;
    }

    /** See {@link PartitionRunner.Builder#cadence}. */
    public Builder cadence(Duration cadence) {
      runner.cadence(cadence);
      return this;
    }

    /** The clock for completeness, deadlines and events (tests pass a manual clock). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How a run waits between cycles (tests pass a sleeper that advances a manual clock). */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    /** Subscribes to partition events from the first cycle on. */
    public Builder onEvent(Consumer<? super PartitionEvent> listener) {
      runner.onEvent(listener);
      return this;
    }

    /** Test seam: wraps each partition's source (e.g. to crash between staging and commit). */
    Builder sourceDecorator(UnaryOperator<BatchSource> decorator) {
      this.sourceDecorator = Objects.requireNonNull(decorator, "decorator");
      return this;
    }

    /** Validates the settings and opens the runner's sink. Opening does not list or write. */
    public SparkPartitionRunner build() {
      if (basePath == null) {
        throw new IllegalStateException("basePath is required: the partitioned directory to list");
      }
      if (settings == null) {
        throw new IllegalStateException("settings are required: .settings(LanceSinkSettings"
            + ".builder().tableUri(..).writerId(..).build())");
      }
      SparkSinkSettings.requireOneTable(settings, null, null);
      return SparkPartitionRunner.create(this);
    }
  }
}
