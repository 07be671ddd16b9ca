package io.github.lancesink.spark.partition;

import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.internal.partition.PartitionLoop;
import io.github.lancesink.internal.partition.TaggedSource;
import io.github.lancesink.partition.CycleResult;
import io.github.lancesink.partition.PartitionEvent;
import io.github.lancesink.partition.RunSummary;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.spark.internal.HadoopPartitionLister;
import io.github.lancesink.spark.internal.ParquetPartitionSource;
import io.github.lancesink.spark.internal.SparkBatchSource;
import io.github.lancesink.spark.internal.SparkSinkSettings;
import io.github.lancesink.spi.BatchSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * SparkPartitionRunnerBuilder#cadence(Duration) cadence}. {@link #requestStop()} (thread-safe)
 * ends a run after the partition in progress. Not thread-safe otherwise.
 *
 * @since 0.1.0
 */
public final class SparkPartitionRunner implements AutoCloseable {
  private final PartitionLoop loop;
  private final LanceSink sink;

  SparkPartitionRunner(PartitionLoop loop, LanceSink sink) {
    this.loop = loop;
    this.sink = sink;
  }

  /** A builder reading with {@code session}. */
  public static SparkPartitionRunnerBuilder builder(SparkSession session) {
    return new SparkPartitionRunnerBuilder(session);
  }

  /**
   * One cycle: list, decide, write every partition the policies allow, in time order.
   *
   * @throws io.github.lancesink.partition.PartitionSourceException when a partition cannot be
   *     read under {@link io.github.lancesink.partition.BadPartitionPolicy#STOP}, or the base
   *     path cannot be listed
   */
  public CycleResult runOnce() {
    return loop.runOnce();
  }

  /** Runs cycles on the cadence until {@code deadline} or a stop request. */
  public RunSummary runUntil(Instant deadline) {
    return loop.runUntil(deadline, () -> false);
  }

  /** Runs cycles on the cadence until {@code stop} returns true (checked between cycles). */
  public RunSummary runUntil(BooleanSupplier stop) {
    return loop.runUntil(Instant.MAX, stop);
  }

  /**
   * Runs cycles for at most {@code maxRunTime} (by the runner's clock), then returns: the
   * documented way to restart on a schedule. Resuming needs nothing but a new runner.
   */
  public RunSummary runFor(Duration maxRunTime) {
    return loop.runUntil(sink.clock().instant().plus(maxRunTime), () -> false);
  }

  /** Ends the current run after the partition in progress. Thread-safe. */
  public void requestStop() {
    loop.requestStop();
  }

  /** The newest partition time processed (read from the table on first use). */
  public Optional<Instant> watermark() {
    return loop.watermark();
  }

  /** Subscribes to partition events (skips, late data, failures, processed partitions). */
  public SparkPartitionRunner onEvent(Consumer<? super PartitionEvent> listener) {
    loop.onEvent(listener);
    return this;
  }

  /** The sink that writes new partitions (its events and ledger). */
  public LanceSink sink() {
    return sink;
  }

  @Override
  public void close() {
    sink.close();
  }

  /** Builds the loop from the builder's settings (kept here so the builder stays small). */
  static SparkPartitionRunner create(SparkPartitionRunnerBuilder b) {
    SparkSinkSettings settings = new SparkSinkSettings(b.settings, Map.copyOf(b.options),
        List.of(), null);
    SparkSinkSettings.Resolved resolved = settings.resolve(b.session);
    LanceSinkSettings sinkSettings = resolved.settings();
    LanceSink sink = LanceSink.builder().settings(sinkSettings).clock(b.clock)
        .sleeper(b.sleeper).build();
    TableFactory tables = settings.tables(resolved);
    HadoopPartitionLister lister = new HadoopPartitionLister(b.basePath,
        b.session.sparkContext().hadoopConfiguration());
    UnaryOperator<BatchSource> decorate = b.sourceDecorator;
    var loop = new PartitionLoop(b.loopSettings(lister), sink, (s, id, p, tags) -> {
      BatchSource source = decorate.apply(new ParquetPartitionSource(b.session, lister, p,
          df -> new SparkBatchSource(df, tables, sinkSettings, List.of(),
              resolved.arrowBatchRows())));
      return s.write(id, sinkSettings.sourceLineage(), new TaggedSource(source, tags));
    });
    b.listeners.forEach(loop::onEvent);
    return new SparkPartitionRunner(loop, sink);
  }
}
