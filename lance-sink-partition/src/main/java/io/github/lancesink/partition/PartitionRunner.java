package io.github.lancesink.partition;

import io.github.lancesink.LanceSink;
import io.github.lancesink.Sleeper;
import io.github.lancesink.WriteMode;
import io.github.lancesink.internal.partition.LoopSettings;
import io.github.lancesink.internal.partition.PartitionLoop;
import io.github.lancesink.internal.partition.PartitionWrite;
import io.github.lancesink.internal.partition.ReaderWrite;
import io.github.lancesink.internal.partition.TaggedSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The partition runner without Spark: a plain Java loop that lists a partitioned directory,
 * reads each complete partition through a {@link PartitionReader} and writes it through a
 * {@link LanceSink}, one partition per batch (batch ids: {@link PartitionBatchIds}).
 * Same policies, results and events as the Spark runner ({@code SparkPartitionRunner}); use it
 * when partitions are small enough for one JVM.
 *
 * <pre>{@code
 * try (PartitionRunner runner = PartitionRunner.builder()
 *     .lister(PartitionLister.localDirectory(Path.of("/feeds/ads")))
 *     .reader((partition, allocator) -> myParquetReader(partition.dataFiles(), allocator))
 *     .sink(LanceSink.builder().tableUri("/index/ads.lance").writerId("ads-partitions"))
 *     .build()) {
 *   runner.runFor(Duration.ofHours(1));
 * }
 * }</pre>
 *
 * @since 0.1.0
 */
public final class PartitionRunner implements AutoCloseable {
  private final PartitionLoop loop;
  private final LanceSink sink;
  private final BufferAllocator allocator;

  private PartitionRunner(Builder b, LanceSink sink) {
    this.sink = sink;
    this.allocator = new RootAllocator();
    this.loop = new PartitionLoop(new LoopSettings(b.lister.toString(), b.lister, b.layout,
        b.rule, b.lag, b.late, b.onBadPartition, b.cadence, sink.clock(), b.sleeper),
        sink, b.source != null ? sourceWrite(b.source) : new ReaderWrite(b.reader, allocator));
    b.listeners.forEach(loop::onEvent);
  }

  /** Writes each partition from the engine's own source, tagged with the partition. */
  private static PartitionWrite sourceWrite(PartitionSource source) {
    return (s, id, p, tags) ->
        s.write(id, s.settings().sourceLineage(), new TaggedSource(source.open(p), tags));
  }

  /** A builder; {@code lister}, {@code reader} (or {@code source}) and {@code sink} are needed. */
  public static Builder builder() {
    return new Builder();
  }

  /** One cycle: list, decide, write every partition the policies allow, in time order. */
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

  /** Runs cycles for at most {@code maxRunTime}, then returns (a scheduled restart). */
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
  public PartitionRunner onEvent(Consumer<? super PartitionEvent> listener) {
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
    allocator.close();
  }

  /**
   * Builds a {@link PartitionRunner}. Setters reject bad values with {@link
   * IllegalArgumentException}; {@link #build()} rejects missing or conflicting settings with
   * {@link IllegalStateException}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    /** How often a run lists the base path by default: one minute. */
    public static final Duration DEFAULT_CADENCE = Duration.ofMinutes(1);

    private PartitionLister lister;
    private PartitionReader reader;
    private PartitionSource source;
    private LanceSink.Builder sinkBuilder;
    private PartitionLayout layout = PartitionLayout.defaults();
    private CompletenessRule rule = CompletenessRule.defaults();
    private LagPolicy lag = LagPolicy.defaults();
    private LateDataPolicy late = LateDataPolicy.defaults();
    private BadPartitionPolicy onBadPartition = BadPartitionPolicy.STOP;
    private Duration cadence = DEFAULT_CADENCE;
    private Sleeper sleeper = Sleeper.SYSTEM;
    private final java.util.List<Consumer<? super PartitionEvent>> listeners =
        new java.util.ArrayList<>();

    private Builder() {}

    public Builder lister(PartitionLister lister) {
      this.lister = Objects.requireNonNull(lister, "lister");
      return this;
    }

    /** Reads each partition as Arrow in this JVM (or use {@link #source}). */
    public Builder reader(PartitionReader reader) {
      this.reader = Objects.requireNonNull(reader, "reader");
      return this;
    }

    /**
     * An engine's own source for each partition instead of a {@link #reader}, e.g. the Spark
     * runner's Parquet reader and executor-side writer.
     */
    public Builder source(PartitionSource source) {
      this.source = Objects.requireNonNull(source, "source");
      return this;
    }

    /**
     * The sink settings (table, writer id, write mode, clock...). The runner builds its sink
     * from them; the sink's clock is the runner's clock.
     */
    public Builder sink(LanceSink.Builder sink) {
      this.sinkBuilder = Objects.requireNonNull(sink, "sink");
      return this;
    }

    public Builder layout(PartitionLayout layout) {
      this.layout = Objects.requireNonNull(layout, "layout");
      return this;
    }

    public Builder completeness(CompletenessRule rule) {
      this.rule = Objects.requireNonNull(rule, "rule");
      return this;
    }

    public Builder lagPolicy(LagPolicy policy) {
      this.lag = Objects.requireNonNull(policy, "lagPolicy");
      return this;
    }

    public Builder lateDataPolicy(LateDataPolicy policy) {
      this.late = Objects.requireNonNull(policy, "lateDataPolicy");
      return this;
    }

    public Builder onBadPartition(BadPartitionPolicy policy) {
      this.onBadPartition = Objects.requireNonNull(policy, "onBadPartition");
      return this;
    }

    /** How often a run starts a cycle (default one minute). */
    public Builder cadence(Duration cadence) {
      Objects.requireNonNull(cadence, "cadence");
      if (cadence.isNegative() || cadence.isZero()) {
        throw new IllegalArgumentException("cadence must be positive, was " + cadence);
      }
      this.cadence = cadence;
      return this;
    }

    /** How a run waits between cycles. */
    public Builder sleeper(Sleeper sleeper) {
      this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
      return this;
    }

    public Builder onEvent(Consumer<? super PartitionEvent> listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Validates the settings and opens the sinks. Does not list or write. */
    public PartitionRunner build() {
      if (lister == null || (reader == null && source == null) || sinkBuilder == null) {
        throw new IllegalStateException("lister, reader (or source) and sink are required");
      }
      if (reader != null && source != null) {
        throw new IllegalStateException("set either reader(..) or source(..), not both");
      }
      LanceSink main = sinkBuilder.build();
      WriteMode mode = main.settings().writeMode();
      if (late.kind() == LateDataPolicy.Kind.REPROCESS) {
        if (mode.kind() != WriteMode.Kind.REPLACE_GROUPS) {
          main.close();
          throw new IllegalStateException("LateDataPolicy.reprocess() needs"
              + " WriteMode.replaceGroups(column): re-processing a partition in " + mode
              + " mode would write its rows twice. Use LateDataPolicy.report(), or replaceGroups"
              + " with a group column that identifies the partition's rows.");
        }
      }
      return new PartitionRunner(this, main);
    }
  }
}
