package io.github.lancesink.spark;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spark.internal.SparkBatchSource;
import io.github.lancesink.spark.internal.SparkMaintenanceWorkers;
import io.github.lancesink.spark.internal.SparkSinkSettings;
import io.github.lancesink.spi.LanceTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@code foreachBatch} function that keeps a Lance dataset in sync with exactly-once effect.
 *
 * <pre>{@code
 * LanceSinkSettings settings = LanceSinkSettings.builder()
 *     .tableUri("s3://bucket/items.lance").writerId("items-sync")
 *     .vectorColumn("vector", 128)
 *     .build();
 * LanceForeachBatch fn = LanceForeachBatch.builder().settings(settings).build();
 * df.writeStream().foreachBatch(fn).option("checkpointLocation", ckpt).start();
 * }</pre>
 *
 * <p>Per micro-batch: executors convert their partitions to Arrow with Spark's own {@code
 * ArrowWriter} and write uncommitted Lance fragments; only fragment metadata returns to the
 * driver, which commits it once, together with the dedup marker, through {@link LanceSink}. The
 * source lineage is Spark's query id (local property {@code sql.streaming.queryId}), which
 * survives restarts from the same checkpoint; a replayed batch id is skipped, never re-written.
 *
 * <p>Every core write mode is supported with the core's semantics: {@code append}, {@code
 * cdc(keys)}, {@code upsert(keys)} (optionally {@code withSequenceColumn}) and {@code
 * replaceGroups(column)}. Keyed batches are checked and collapsed on the cluster; the driver
 * receives only fragment metadata and the distinct keys (or groups) of the batch, and the core
 * replaces the stored rows of those keys in the same commit as the new rows.
 *
 * <p>Maintenance ({@code OptimizePolicy}) runs on the driver, or, with {@link
 * Builder#distributedMaintenance(DistributedMaintenance)}, compaction and vector index builds
 * run as Spark jobs on the executors while the driver plans and commits.
 *
 * <p>The driver keeps one {@link LanceSink} per function instance (built on the first batch,
 * reused so the ledger stays cached). Call {@link #close()} after the query stops to release it.
 *
 * @since 0.1.0
 */
public final class LanceForeachBatch implements VoidFunction2<Dataset<Row>, Long>, AutoCloseable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(LanceForeachBatch.class);

  /** The Spark local property that holds the streaming query id. */
  public static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

  private final SparkSinkSettings settings;
  private final BatchListener listener;
  private final DistributedMaintenance distributed;
  // driver-side only: a deserialized copy uses the system clock
  private final transient Clock clock;
  private transient LanceSink sink;
  private transient LanceTable driverTable;
  private transient SparkSinkSettings.Resolved resolved;

  private LanceForeachBatch(SparkSinkSettings settings, BatchListener listener, Clock clock,
      DistributedMaintenance distributed) {
    this.settings = settings;
    this.listener = listener;
    this.clock = clock;
    this.distributed = distributed;
  }

  /** A builder; {@code settings} are required, and either their table URI or a table. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public void call(Dataset<Row> batch, Long batchId) {
    String queryId = batch.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY);
    if (queryId == null) {
      LOG.warn("lance-sink writer '{}': no streaming query id on this thread (called outside"
          + " foreachBatch?); batches are deduplicated without a source lineage",
          settings.writerId());
      queryId = "";
    }
    LanceSink s = sink(batch);
    SparkBatchSource source = new SparkBatchSource(batch, settings.tables(resolved),
        resolved.settings(), settings.rowIdentity(), resolved.arrowBatchRows());
    BatchResult result = s.write(batchId, queryId, source);
    Instant committedAt = s.clock().instant();
    Optional<Instant> sourceTs = source.maxCommitTimestamp();
    Optional<Duration> lag = result.committed()
        ? sourceTs.map(ts -> Duration.between(ts, committedAt)) : Optional.empty();
    if (result.committed()) {
      LOG.info("lance-sink writer '{}' query {} batch {}: committed {} rows ({} stored rows"
          + " removed) as version {}{}", settings.writerId(), queryId, batchId, result.rows(),
          result.deletedRows(), result.version().orElse(-1),
          lag.map(d -> "; freshness lag " + d.toMillis() + " ms (newest _commit_timestamp "
              + sourceTs.get() + " -> Lance commit " + committedAt + ")").orElse(""));
    }
    if (listener != null) {
      try {
        listener.onBatch(new BatchReport(queryId, result, sourceTs, committedAt, lag));
      } catch (RuntimeException e) {
        LOG.warn("lance-sink batch listener failed on batch {} (the batch itself succeeded)",
            batchId, e);
      }
    }
  }

  private LanceSink sink(Dataset<Row> batch) {
    if (sink == null) {
      resolved = settings.resolve(batch.sparkSession());
      LanceSink.Builder b = LanceSink.builder().settings(resolved.settings());
      if (clock != null) {
        b.clock(clock);
      }
      DistributedMaintenance dm = settings.distributed(batch.sparkSession(), distributed);
      if (settings.tableFactory() != null) {
        if (dm != null) {
          LOG.warn("lance-sink writer '{}': {} is ignored for a table(factory) sink; maintenance"
              + " runs on the driver", settings.writerId(), LanceSinkOptions.MAINTENANCE_EXECUTION);
        }
        driverTable = settings.tableFactory().open();
        b.table(driverTable);
      } else if (dm != null) {
        // the driver's port plans and commits; compaction and index builds run as Spark jobs
        LanceSinkSettings s = resolved.settings();
        driverTable = new NativeLanceTable(s.tableUri().orElseThrow(), s.storageOptions(),
            new SparkMaintenanceWorkers(batch.sparkSession().sparkContext(), dm));
        b.settings(s.toBuilder().withoutTableUri().build()).table(driverTable);
        LOG.info("lance-sink writer '{}': maintenance runs on the executors ({})",
            settings.writerId(), dm);
      }
      try {
        sink = b.build();
      } catch (RuntimeException e) {
        closeDriverTable();
        throw e;
      }
      LOG.info("lance-sink writer '{}' opened {} for foreachBatch", settings.writerId(),
          sink.table().displayUri());
      LOG.debug("lance-sink writer '{}' configuration: {}", settings.writerId(), sink.settings());
    }
    return sink;
  }

  /** The driver's sink, once the first batch has run (for its events and ledger). */
  public Optional<LanceSink> sink() {
    return Optional.ofNullable(sink);
  }

  /** Releases the driver's sink. The function can be used again afterwards. */
  @Override
  public void close() {
    try {
      if (sink != null) {
        sink.close();
        sink = null;
      }
    } finally {
      closeDriverTable();
    }
  }

  private void closeDriverTable() {
    if (driverTable != null) {
      try {
        driverTable.close();
      } finally {
        driverTable = null;
      }
    }
  }

  @Override
  public String toString() {
    return "LanceForeachBatch{" + settings + "}";
  }

  /**
   * Builds a {@link LanceForeachBatch} from {@link LanceSinkSettings} plus the options only the
   * Spark adapter has. Every sink setting is given through {@link #settings}; settings not given
   * explicitly there come from writer options and the Spark session conf keys in {@link
   * LanceSinkOptions}, then from the core defaults. Setters reject bad values with {@link
   * IllegalArgumentException}; {@link #build()} rejects missing settings with {@link
   * IllegalStateException}.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private LanceSinkSettings settings;
    private final Map<String, String> options = new HashMap<>();
    private List<String> rowIdentity = List.of();
    private BatchListener listener;
    private TableFactory tableFactory;
    private Clock clock;
    private DistributedMaintenance distributed;

    private Builder() {}

    /**
     * The sink settings (required): writer id, table URI (unless {@link #table(TableFactory)}
     * is used), write mode, vector column, policies. The table URI and storage options must be
     * reachable from the executors too. With {@link WriteMode#cdc} the function reads a Delta
     * change feed ({@code readChangeFeed}): the latest change per key wins, deletes remove
     * stored rows; keyed batches are checked and collapsed on the cluster, and each batch is
     * one Lance commit, so a reader never sees a half-replaced key or group.
     */
    public Builder settings(LanceSinkSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Writes through table handles opened by {@code factory} instead of the settings' {@code
     * tableUri}: the driver opens one handle to commit, every executor task one to write
     * fragments. For tests against the testkit's in-memory fake (see {@code
     * lance-sink-spark-testkit}); exactly one of {@code tableUri} and {@code table} is required.
     *
     * @since 0.1.0
     */
    public Builder table(TableFactory factory) {
      this.tableFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * The clock that stamps events, batch reports and retry deadlines (default: the system UTC
     * clock). Used on the driver only; a deserialized copy of the function uses the system
     * clock.
     *
     * @since 0.1.0
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * A writer option, one of the {@link LanceSinkOptions} keys; wins over the session conf but
     * not over a setting given explicitly in {@link #settings}.
     */
    public Builder option(String key, String value) {
      LanceSinkOptions.requireKey(key, value);
      options.put(key, value);
      return this;
    }

    /**
     * Columns that identify a row in error messages (default: the write mode's keys; without
     * keys a row is named by its Spark partition and ordinal).
     */
    public Builder rowIdentity(String... columns) {
      List<String> cols = new ArrayList<>();
      for (String c : Objects.requireNonNull(columns, "columns")) {
        if (c == null || c.isBlank()) {
          throw new IllegalArgumentException("row identity columns must be non-blank names");
        }
        cols.add(c);
      }
      this.rowIdentity = List.copyOf(cols);
      return this;
    }

    /**
     * Runs compaction and vector index builds as Spark jobs on the executors, with {@code
     * settings} for their scheduler pool and concurrency (default: on the driver, unless {@link
     * LanceSinkOptions#MAINTENANCE_EXECUTION} says {@code distributed}). Needs the settings'
     * table URI (not {@link #table(TableFactory)}), reachable from the executors.
     *
     * @since 0.2.0
     */
    public Builder distributedMaintenance(DistributedMaintenance settings) {
      this.distributed = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /** Called on the driver after every batch, e.g. to export the freshness lag. */
    public Builder listener(BatchListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Validates the settings; the sink itself is opened on the driver at the first batch. */
    public LanceForeachBatch build() {
      if (settings == null) {
        throw new IllegalStateException("settings are required: LanceForeachBatch.builder()"
            + ".settings(LanceSinkSettings.builder().tableUri(..).writerId(..).build())");
      }
      SparkSinkSettings.requireOneTable(settings, tableFactory, "table(factory)");
      if (distributed != null && tableFactory != null) {
        throw new IllegalStateException("distributedMaintenance(..) needs the settings' tableUri,"
            + " which executors open; it cannot be combined with table(factory)");
      }
      SparkSinkSettings s = new SparkSinkSettings(settings, Map.copyOf(options), rowIdentity,
          tableFactory);
      return new LanceForeachBatch(s, listener, clock, distributed);
    }
  }
}
