package io.github.lancesink.spark;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LanceSinkBuilder;
import io.github.lancesink.LineagePolicy;
import io.github.lancesink.WriteMode;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spark.internal.SparkBatchSource;
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
 * LanceForeachBatch fn = LanceForeachBatch.builder()
 *     .tableUri("s3://bucket/items.lance").writerId("items-sync")
 *     .vectorColumn("vector", 128)
 *     .build();
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
  // driver-side only: a deserialized copy uses the system clock
  private final transient Clock clock;
  private transient LanceSink sink;
  private transient LanceTable driverTable;
  private transient SparkSinkSettings.Resolved resolved;

  private LanceForeachBatch(SparkSinkSettings settings, BatchListener listener, Clock clock) {
    this.settings = settings;
    this.listener = listener;
    this.clock = clock;
  }

  /** A builder; {@code writerId} and either {@code tableUri} or {@code table} are required. */
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
        settings.writeMode(), settings.vectorColumn(), settings.dimension(),
        settings.rowIdentity(), resolved.arrowBatchRows());
    BatchResult result = s.write(batchId, queryId, source);
    Instant committedAt = s.config().clock().instant();
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
      LanceSinkBuilder b = resolved.sinkBuilder();
      if (clock != null) {
        b.clock(clock);
      }
      if (settings.tableFactory() != null) {
        driverTable = settings.tableFactory().open();
        b.table(driverTable);
      }
      try {
        sink = b.build();
      } catch (RuntimeException e) {
        closeDriverTable();
        throw e;
      }
      LOG.info("lance-sink writer '{}' opened {} for foreachBatch", settings.writerId(),
          sink.table().displayUri());
      LOG.debug("lance-sink writer '{}' configuration: {}", settings.writerId(), sink.config());
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
   * Builds a {@link LanceForeachBatch}. Setters reject bad values with {@link
   * IllegalArgumentException}; {@link #build()} rejects missing settings with {@link
   * IllegalStateException}. Settings not given here come from the Spark session conf keys in
   * {@link LanceSinkOptions}, then from the core defaults.
   *
   * @since 0.1.0
   */
  public static final class Builder {
    private final io.github.lancesink.LanceSinkBuilder check = LanceSink.builder();
    private String tableUri;
    private Map<String, String> storageOptions = Map.of();
    private String writerId;
    private WriteMode writeMode = WriteMode.append();
    private String vectorColumn;
    private int dimension;
    private RetryPolicy retryPolicy;
    private OptimizePolicy optimizePolicy;
    private LineagePolicy lineagePolicy;
    private Integer lookback;
    private final Map<String, String> options = new HashMap<>();
    private List<String> rowIdentity = List.of();
    private BatchListener listener;
    private TableFactory tableFactory;
    private Clock clock;

    private Builder() {}

    /**
     * Writes through table handles opened by {@code factory} instead of {@code tableUri}: the
     * driver opens one handle to commit, every executor task one to write fragments. For tests
     * against the testkit's in-memory fake (see {@code lance-sink-spark-testkit}); exactly one of
     * {@code tableUri} and {@code table} is required.
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

    /** Local path or object-store URI of the Lance dataset; executors must reach it too. */
    public Builder tableUri(String uri) {
      check.tableUri(uri);
      this.tableUri = uri;
      return this;
    }

    /** Options handed to Lance on the driver and on executors. Never printed. */
    public Builder storageOptions(Map<String, String> options) {
      check.storageOptions(options);
      this.storageOptions = Map.copyOf(options);
      return this;
    }

    /** The stable dedup namespace of this pipeline; see {@code LanceSinkBuilder#writerId}. */
    public Builder writerId(String id) {
      check.writerId(id);
      this.writerId = id;
      return this;
    }

    /**
     * How batches are applied (default {@link WriteMode#append()}). {@link WriteMode#cdc} reads
     * a Delta change feed ({@code readChangeFeed}): the latest change per key wins, deletes
     * remove stored rows. {@link WriteMode#upsert} replaces the stored rows of every key in the
     * batch (duplicate keys are rejected unless a sequence column orders them; the largest
     * value wins, ties go to the row later in the DataFrame's order). {@link
     * WriteMode#replaceGroups} replaces every stored row of each group value in the batch. Null
     * keys or groups reject the batch on the cluster before anything is written; each batch is
     * one Lance commit, so a reader never sees a half-replaced key or group.
     */
    public Builder writeMode(WriteMode mode) {
      this.writeMode = Objects.requireNonNull(mode, "writeMode");
      return this;
    }

    /**
     * The vector column: a Spark {@code ARRAY<FLOAT>} stored as {@code
     * FixedSizeList<float32>[dimension]}. Every row's length is validated on the executors.
     */
    public Builder vectorColumn(String column, int dimension) {
      check.vectorColumn(column, dimension);
      this.vectorColumn = column;
      this.dimension = dimension;
      return this;
    }

    /** Overrides {@link LanceSinkOptions#RETRY_MAX_ATTEMPTS} entirely. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /** Overrides {@link LanceSinkOptions#OPTIMIZE_ENABLED}; the core runs it between batches. */
    public Builder optimizePolicy(OptimizePolicy policy) {
      this.optimizePolicy = Objects.requireNonNull(policy, "optimizePolicy");
      return this;
    }

    /** Overrides {@link LanceSinkOptions#LINEAGE_POLICY}. */
    public Builder lineagePolicy(LineagePolicy policy) {
      this.lineagePolicy = Objects.requireNonNull(policy, "lineagePolicy");
      return this;
    }

    /** Overrides {@link LanceSinkOptions#LEDGER_LOOKBACK}. */
    public Builder lookback(int versions) {
      check.lookback(versions);
      this.lookback = versions;
      return this;
    }

    /** A writer option, one of the {@link LanceSinkOptions} keys; wins over the session conf. */
    public Builder option(String key, String value) {
      if (key == null || !key.startsWith(LanceSinkOptions.PREFIX) || value == null) {
        throw new IllegalArgumentException("option keys start with '" + LanceSinkOptions.PREFIX
            + "' and values are non-null; key was '" + key + "'");
      }
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

    /** Called on the driver after every batch, e.g. to export the freshness lag. */
    public Builder listener(BatchListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** Validates the settings; the sink itself is opened on the driver at the first batch. */
    public LanceForeachBatch build() {
      if (tableUri == null && tableFactory == null) {
        throw new IllegalStateException("tableUri (or a table factory) is required");
      }
      if (tableUri != null && tableFactory != null) {
        throw new IllegalStateException("set either tableUri or table(factory), not both");
      }
      if (writerId == null) {
        throw new IllegalStateException("writerId is required: the stable dedup namespace");
      }
      if (vectorColumn != null && writeMode.kind() != WriteMode.Kind.APPEND
          && writeMode.keys().contains(vectorColumn)) {
        throw new IllegalStateException(
            "the vector column '" + vectorColumn + "' cannot also be a key column");
      }
      SparkSinkSettings s = new SparkSinkSettings(tableUri, storageOptions, writerId, writeMode,
          vectorColumn, dimension, retryPolicy, optimizePolicy, lineagePolicy, lookback,
          Map.copyOf(options), rowIdentity, tableFactory);
      return new LanceForeachBatch(s, listener, clock);
    }
  }
}
