package io.github.lancesink.spark.testkit;

import io.github.lancesink.BatchResult;
import io.github.lancesink.spark.LanceForeachBatch;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.testkit.Checkpoint;
import io.github.lancesink.testkit.CrashPoint;
import io.github.lancesink.testkit.Faults;
import io.github.lancesink.testkit.JvmFlags;
import io.github.lancesink.testkit.ManualClock;
import io.github.lancesink.testkit.SimulatedCrash;
import io.github.lancesink.testkit.StepResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
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
 * <p>The builder owns the wiring: on every (re)start it hands the function factory a fresh
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
public final class SparkBatchDriver implements AutoCloseable {
  private final SparkSession spark;
  private final Builder config;
  private final String tableName;
  private final AtomicReference<BatchResult> lastResult = new AtomicReference<>();
  private final List<Dataset<Row>> inputs = new ArrayList<>();
  private final SortedMap<Long, Integer> offsets = new TreeMap<>();
  private final SortedSet<Long> commits = new TreeSet<>();
  private final List<StepResult> history = new ArrayList<>();
  private String queryId;
  private int plannedInputs;
  private VoidFunction2<Dataset<Row>, Long> function;
  private CrashPoint armed;
  private int restarts;

  private SparkBatchDriver(Builder b) {
    JvmFlags.requireSpark();
    this.spark = b.spark;
    this.config = b;
    this.queryId = b.queryId;
    this.tableName = b.tableFactory == null ? "spark-batch-driver-" + UUID.randomUUID() : null;
    this.function = start();
  }

  /** A builder; {@code spark}, {@code table} and {@code function} are required. */
  public static Builder builder() {
    return new Builder();
  }

  /** Adds a micro-batch of input; it becomes the next batch not yet planned. */
  public int submit(Dataset<Row> batch) {
    inputs.add(Objects.requireNonNull(batch, "batch"));
    return inputs.size() - 1;
  }

  /** Adds a micro-batch made of {@code rows} with {@code schema}. */
  public int submit(List<Row> rows, StructType schema) {
    return submit(spark.createDataFrame(List.copyOf(rows), schema));
  }

  /**
   * Arms a crash for the next batch that runs. Table-level points need the table's {@link
   * Faults} (given by {@link Builder#table(io.github.lancesink.testkit.InMemoryLanceTable)} or
   * {@link Builder#faults}); {@link CrashPoint#AFTER_RESULT_BEFORE_CHECKPOINT} is injected here.
   */
  public SparkBatchDriver crashOnNextBatch(CrashPoint point) {
    Objects.requireNonNull(point, "point");
    if (point.isTableLevel() && config.faults == null) {
      throw new IllegalStateException("crash point " + point + " is injected by the table: give"
          + " the driver an InMemoryLanceTable or .faults(...)");
    }
    this.armed = point;
    return this;
  }

  /** Runs the next micro-batch: the unacknowledged one if any, else the next input. */
  public StepResult step() {
    if (function == null) {
      throw new IllegalStateException("the stream is stopped after a crash or failure; call"
          + " restart() first");
    }
    OptionalLong pending = checkpoint().unacknowledged();
    boolean replay = pending.isPresent();
    long batchId;
    if (replay) {
      batchId = pending.getAsLong();
    } else {
      if (plannedInputs >= inputs.size()) {
        return record(new StepResult(StepResult.Kind.IDLE, -1, false, Optional.empty(),
            Optional.empty()));
      }
      batchId = offsets.isEmpty() ? 0 : offsets.lastKey() + 1;
      offsets.put(batchId, plannedInputs++);
    }
    CrashPoint crash = armed;
    armed = null;
    if (crash != null && crash.isTableLevel()) {
      config.faults.crashAt(crash);
    }
    lastResult.set(null);
    var sc = spark.sparkContext();
    String previous = sc.getLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY);
    sc.setLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY, queryId);
    try {
      function.call(inputs.get(offsets.get(batchId)), batchId);
    } catch (Exception e) {
      Optional<CrashPoint> crashed = simulatedCrash(e);
      die();
      if (crashed.isPresent()) {
        return record(new StepResult(StepResult.Kind.CRASHED, batchId, replay, Optional.empty(),
            crashed));
      }
      throw e instanceof RuntimeException r ? r
          : new IllegalStateException("foreachBatch failed on batch " + batchId, e);
    } finally {
      sc.setLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY, previous);
      if (config.faults != null) {
        config.faults.disarmCrashes();
      }
    }
    Optional<BatchResult> result = Optional.ofNullable(lastResult.get());
    if (crash == CrashPoint.AFTER_RESULT_BEFORE_CHECKPOINT) {
      die();
      return record(new StepResult(StepResult.Kind.CRASHED, batchId, replay, result,
          Optional.of(crash)));
    }
    commits.add(batchId);
    config.clock.advance(config.tick);
    return record(new StepResult(StepResult.Kind.ACKNOWLEDGED, batchId, replay, result,
        Optional.empty()));
  }

  /** Steps until every submitted input is acknowledged, restarting after each crash. */
  public List<StepResult> runToCompletion() {
    List<StepResult> steps = new ArrayList<>();
    for (int guard = 0; guard < 100_000; guard++) {
      if (function == null) {
        restart();
      }
      StepResult s = step();
      if (s.kind() == StepResult.Kind.IDLE) {
        return steps;
      }
      steps.add(s);
    }
    throw new IllegalStateException("the stream did not drain within 100000 steps");
  }

  /** Starts a new "process": closes the live function and builds a new one (cold sink). */
  public SparkBatchDriver restart() {
    die();
    restarts++;
    config.clock.advance(config.tick);
    function = start();
    return this;
  }

  /** Deletes the commit entry of the last planned batch, so a restart replays it. */
  public SparkBatchDriver forgetCommit(long batchId) {
    if (offsets.isEmpty() || offsets.lastKey() != batchId) {
      throw new IllegalArgumentException("only the last planned batch can be forgotten; batch "
          + batchId + " is not it (offsets: " + offsets.keySet() + ")");
    }
    commits.remove(batchId);
    return this;
  }

  /** A brand-new checkpoint: a new query id and batch ids from 0 over the unplanned input. */
  public SparkBatchDriver startNewCheckpoint() {
    offsets.clear();
    commits.clear();
    queryId = UUID.randomUUID().toString();
    return this;
  }

  /** An immutable snapshot of the checkpoint (offsets and commits). */
  public Checkpoint checkpoint() {
    return new Checkpoint(queryId, offsets, commits);
  }

  /** How many times the stream was restarted. */
  public int restarts() {
    return restarts;
  }

  /** Every step taken so far (an immutable copy). */
  public List<StepResult> history() {
    return List.copyOf(history);
  }

  /** The driver's clock (advanced one tick per acknowledged batch and per restart). */
  public ManualClock clock() {
    return config.clock;
  }

  /** Closes the live function (when it is {@link AutoCloseable}) and unregisters the table. */
  @Override
  public void close() {
    try {
      die();
    } finally {
      if (tableName != null) {
        SparkTables.unregister(tableName);
      }
    }
  }

  private VoidFunction2<Dataset<Row>, Long> start() {
    TableFactory tables = config.tableFactory != null ? config.tableFactory
        : SparkTables.register(tableName, config.table);
    LanceForeachBatch.Builder sink = LanceForeachBatch.builder()
        .table(tables)
        .clock(config.clock)
        .listener(report -> lastResult.set(report.result()));
    return Objects.requireNonNull(config.function.apply(sink),
        "the function factory returned null");
  }

  private StepResult record(StepResult s) {
    history.add(s);
    return s;
  }

  private void die() {
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

  /** The crash point when {@code e} or a cause is a simulated crash (possibly from a task). */
  static Optional<CrashPoint> simulatedCrash(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SimulatedCrash c) {
        return Optional.of(c.point());
      }
    }
    return Optional.empty();
  }

  /** Builds a {@link SparkBatchDriver}; see the class documentation. */
  public static final class Builder {
    private SparkSession spark;
    private io.github.lancesink.spi.LanceTable table;
    private TableFactory tableFactory;
    private Faults faults;
    private ManualClock clock = new ManualClock();
    private Duration tick = Duration.ofSeconds(1);
    private String queryId = UUID.randomUUID().toString();
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
      this.faults = table.faults();
      return this;
    }

    /**
     * Any in-process table port (e.g. a {@code FaultInjectingTable}); pass its {@link Faults}
     * with {@link #faults} to use table-level crash points.
     */
    public Builder table(io.github.lancesink.spi.LanceTable table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** A table factory instead of a table (e.g. {@link SparkTables#registered}). */
    public Builder table(TableFactory factory) {
      this.tableFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** The fault script of the table (needed for table-level crash points). */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** The clock every (re)started sink uses; advanced by one tick per batch and restart. */
    public Builder clock(ManualClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** How far the clock moves per acknowledged batch and per restart (default 1 s). */
    public Builder tick(Duration tick) {
      if (tick == null || tick.isNegative()) {
        throw new IllegalArgumentException("tick must be a non-negative duration, was " + tick);
      }
      this.tick = tick;
      return this;
    }

    /** The query id (source lineage) of the initial checkpoint; random by default. */
    public Builder queryId(String queryId) {
      if (queryId == null || queryId.isBlank()) {
        throw new IllegalArgumentException("queryId must be non-blank");
      }
      this.queryId = queryId;
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
