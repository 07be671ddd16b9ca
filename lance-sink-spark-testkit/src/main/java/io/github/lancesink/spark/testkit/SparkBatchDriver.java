package io.github.lancesink.spark.testkit;

import io.github.lancesink.BatchResult;
import io.github.lancesink.spark.LanceForeachBatch;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.testkit.AbstractBatchDriver;
import io.github.lancesink.testkit.CrashPoint;
import io.github.lancesink.testkit.FaultInjectingTable;
import io.github.lancesink.testkit.Faults;
import io.github.lancesink.testkit.JvmFlags;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Runs a team's OWN {@code foreachBatch} function (transformation included) against a table port
 * (typically the in-memory fake) on local Spark, the way Spark's micro-batch engine calls it, in
 * the spirit of Kafka's {@code TopologyTestDriver}: synchronous, a manual clock, crashes at named
 * {@link CrashPoint}s, restarts with a cold sink and replays of the unacknowledged batch with the
 * same id and the same input.
 *
 * <pre>{@code
 * try (InMemoryLanceTable table = InMemoryLanceTable.create();
 *     SparkBatchDriver driver = SparkBatchDriver.builder()
 *         .spark(spark)
 *         .table(table)   // also takes table.faults()
 *         .function(sink -> new ItemsSync(sink.settings(LanceSinkSettings.builder()
 *             .writerId("items-sync").writeMode(WriteMode.upsert("id")).build()).build()))
 *         .build()) {
 *   driver.submit(rows, schema);
 *   driver.crashOnNextBatch(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
 *   driver.runToCompletion();   // crash, restart (a new function), replay: SKIPPED_DUPLICATE
 * }
 * }</pre>
 *
 * <p>The loop (offsets, commits, crashes, restarts, replays) is the testkit's {@link
 * AbstractBatchDriver}, shared with {@code MicroBatchDriver}. The builder owns the wiring: on
 * every (re)start it hands the function factory a fresh
 * {@link LanceForeachBatch.Builder} already pointed at the table, the clock and a listener that
 * reports each batch's {@link BatchResult} to the driver (a {@code listener(...)} set by the
 * function replaces it, and steps then carry no result). The factory configures the rest and
 * wraps the built {@link LanceForeachBatch} in the team's function. The Spark local property
 * {@code sql.streaming.queryId} is set around each call, as in a real query.
 *
 * <p>Crash points {@code BEFORE_WRITE} and {@code AFTER_FRAGMENTS_WRITTEN} fire inside a Spark
 * task, so Spark itself logs the failed task; with a master that retries tasks ({@code
 * local[n,maxFailures]}) the retried task does not crash again. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class SparkBatchDriver
    extends AbstractBatchDriver<Dataset<Row>, SparkBatchDriver> {
  private final SparkSession spark;
  private final Builder config;
  private final String tableName;
  private final AtomicReference<BatchResult> lastResult = new AtomicReference<>();
  private VoidFunction2<Dataset<Row>, Long> function;

  private SparkBatchDriver(Builder b) {
    super(b);
    JvmFlags.requireSpark();
    this.spark = b.spark;
    this.config = b;
    this.tableName = b.tableFactory == null ? "spark-batch-driver-" + UUID.randomUUID() : null;
    startProcess();
  }

  /** A builder; {@code spark}, {@code table} and {@code function} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Adds a micro-batch made of {@code rows} with {@code schema}. */
  public int submit(List<Row> rows, StructType schema) {
    return submit(spark.createDataFrame(List.copyOf(rows), schema));
  }

  @Override
  protected boolean running() {
    return function != null;
  }

  @Override
  protected void startProcess() {
    TableFactory tables = config.tableFactory != null ? config.tableFactory
        : SparkTables.register(tableName, config.table);
    LanceForeachBatch.Builder sink = LanceForeachBatch.builder()
        .table(tables)
        .clock(clock())
        .listener(report -> lastResult.set(report.result()));
    function = Objects.requireNonNull(config.function.apply(sink),
        "the function factory returned null");
  }

  @Override
  protected void stopProcess() {
    VoidFunction2<Dataset<Row>, Long> f = function;
    function = null;
    if (f instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException("closing the foreachBatch function failed", e);
      }
    }
  }

  /** Calls the function with Spark's query-id local property set, as a real query does. */
  @Override
  protected Optional<BatchResult> deliver(long batchId, String queryId, Dataset<Row> input)
      throws Exception {
    lastResult.set(null);
    var sc = spark.sparkContext();
    String previous = sc.getLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY);
    sc.setLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY, queryId);
    try {
      function.call(input, batchId);
    } finally {
      sc.setLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY, previous);
    }
    return Optional.ofNullable(lastResult.get());
  }

  /** Closes the live function (when it is {@link AutoCloseable}) and unregisters the table. */
  @Override
  public void close() {
    try {
      stopProcess();
    } finally {
      if (tableName != null) {
        SparkTables.unregister(tableName);
      }
    }
  }

  /** Builds a {@link SparkBatchDriver}; see the class documentation. */
  public static final class Builder extends AbstractBatchDriver.Builder<Builder> {
    private SparkSession spark;
    private io.github.lancesink.spi.LanceTable table;
    private TableFactory tableFactory;
    private Function<LanceForeachBatch.Builder, VoidFunction2<Dataset<Row>, Long>> function;

    private Builder() {}

    /** The local Spark session the batches run on (master {@code local[n]}). */
    public Builder spark(SparkSession spark) {
      this.spark = Objects.requireNonNull(spark, "spark");
      return this;
    }

    /** The in-memory fake the function writes to; its {@link Faults} drive crash points. */
    public Builder table(io.github.lancesink.testkit.InMemoryLanceTable table) {
      this.table = Objects.requireNonNull(table, "table");
      useFaults(table.faults());
      return this;
    }

    /**
     * Any in-process table port. A {@link FaultInjectingTable}'s {@link Faults} drive the
     * table-level crash points; for another port pass its faults with {@link #faults}.
     */
    public Builder table(io.github.lancesink.spi.LanceTable table) {
      this.table = Objects.requireNonNull(table, "table");
      if (table instanceof FaultInjectingTable faulty) {
        useFaults(faulty.faults());
      } else if (table instanceof io.github.lancesink.testkit.InMemoryLanceTable fake) {
        useFaults(fake.faults());
      }
      return this;
    }

    /** A table factory instead of a table (e.g. {@link SparkTables#registered}). */
    public Builder table(TableFactory factory) {
      this.tableFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** The fault script of the table (needed for table-level crash points). */
    public Builder faults(Faults faults) {
      useFaults(faults);
      return this;
    }

    /**
     * Builds the team's foreachBatch function on every (re)start from a pre-wired {@link
     * LanceForeachBatch.Builder} (table, clock and result listener set); the factory sets the
     * rest (its {@code LanceSinkSettings}: writer id, write mode, ...) and calls {@code
     * build()}.
     */
    public Builder function(
        Function<LanceForeachBatch.Builder, VoidFunction2<Dataset<Row>, Long>> factory) {
      this.function = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** Validates the wiring and starts the first "process". */
    public SparkBatchDriver build() {
      if (spark == null) {
        throw new IllegalStateException("spark is required: a local[n] SparkSession");
      }
      if (table == null && tableFactory == null) {
        throw new IllegalStateException("table is required: e.g. InMemoryLanceTable.create()");
      }
      if (table != null && tableFactory != null) {
        throw new IllegalStateException("set either a table or a table factory, not both");
      }
      if (function == null) {
        throw new IllegalStateException("function is required: sink -> your foreachBatch");
      }
      String master = spark.sparkContext().master();
      if (table != null && !master.startsWith("local")) {
        throw new IllegalStateException("an in-process table needs executors in this JVM;"
            + " master is '" + master + "', use local[n]");
      }
      return new SparkBatchDriver(this);
    }
  }
}
