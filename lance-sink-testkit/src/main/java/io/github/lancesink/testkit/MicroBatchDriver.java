package io.github.lancesink.testkit;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.function.Supplier;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Simulates Spark's {@code foreachBatch} delivery synchronously, without Spark: input is
 * {@linkplain #submit submitted}, each {@link #step()} plans one batch (offsets log), calls
 * {@link LanceSink#write(long, String, org.apache.arrow.vector.ipc.ArrowReader)} and then
 * acknowledges it (commits log). A {@link SimulatedCrash} at a named {@link CrashPoint} kills the
 * "process": the sink instance is discarded and {@link #restart()} builds a new one from the
 * factory (a cold ledger), and the unacknowledged batch is replayed with the same id and the same
 * input, exactly as Spark replays from its checkpoint.
 *
 * <pre>{@code
 * Faults faults = table.faults();
 * try (MicroBatchDriver driver = MicroBatchDriver.builder()
 *     .sinkFactory(() -> LanceSink.builder().table(table).writerId("w").build())
 *     .faults(faults)
 *     .build()) {
 *   driver.submit(TestBatch.sequential(0, 10, 8));
 *   driver.crashOnNextBatch(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
 *   driver.runToCompletion();     // crashes, restarts, replays batch 0: SKIPPED_DUPLICATE
 * }
 * }</pre>
 *
 * <p>Any other exception thrown by the sink stops the stream (as it fails a Spark query) and is
 * rethrown; call {@link #restart()} to continue. Not thread-safe.
 *
 * @since 0.1.0
 */
public final class MicroBatchDriver implements AutoCloseable {
  private final Supplier<LanceSink> sinkFactory;
  private final Faults faults;
  private final ManualClock clock;
  private final Duration tick;
  private final RootAllocator allocator;
  private final List<BatchData> inputs = new ArrayList<>();
  private final SortedMap<Long, Integer> offsets = new TreeMap<>();
  private final SortedSet<Long> commits = new TreeSet<>();
  private final List<StepResult> history = new ArrayList<>();
  private String queryId;
  private int plannedInputs;
  private LanceSink sink;
  private CrashPoint armed;
  private int restarts;

  private MicroBatchDriver(Builder b) {
    JvmFlags.requireArrow();
    this.allocator = new RootAllocator(Long.MAX_VALUE);
    this.sinkFactory = b.sinkFactory;
    this.faults = b.faults;
    this.clock = b.clock;
    this.tick = b.tick;
    this.queryId = b.queryId;
    this.sink = sinkFactory.get();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Adds input; it becomes the next batch not yet planned. Returns its input index. */
  public int submit(BatchData data) {
    inputs.add(Objects.requireNonNull(data, "data"));
    return inputs.size() - 1;
  }

  /**
   * Arms a crash for the next batch that runs. Table-level points are armed on the {@link
   * Faults} given to the builder (required for them); {@link
   * CrashPoint#AFTER_RESULT_BEFORE_CHECKPOINT} is injected by the driver. A crash that the batch
   * never reaches (e.g. a skipped duplicate writes nothing) is disarmed after the step.
   */
  public MicroBatchDriver crashOnNextBatch(CrashPoint point) {
    Objects.requireNonNull(point, "point");
    if (point.isTableLevel() && faults == null) {
      throw new IllegalStateException("crash point " + point + " is injected by the table: pass"
          + " the table's Faults to MicroBatchDriver.builder().faults(...)");
    }
    this.armed = point;
    return this;
  }

  /** Runs the next micro-batch: the unacknowledged one if any, else the next input. */
  public StepResult step() {
    if (sink == null) {
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
      offsets.put(batchId, plannedInputs++); // Spark writes offsets/N before running batch N
    }
    CrashPoint crash = armed;
    armed = null;
    if (crash != null && crash.isTableLevel()) {
      faults.crashAt(crash);
    }
    BatchResult result;
    try (ArrowReader reader = inputs.get(offsets.get(batchId)).open(allocator)) {
      result = sink.write(batchId, queryId, reader);
    } catch (SimulatedCrash c) {
      die();
      return record(new StepResult(StepResult.Kind.CRASHED, batchId, replay, Optional.empty(),
          Optional.of(c.point())));
    } catch (IOException e) {
      die();
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      die();
      throw e;
    } finally {
      if (faults != null) {
        faults.disarmCrashes();
      }
    }
    if (crash == CrashPoint.AFTER_RESULT_BEFORE_CHECKPOINT) {
      die();
      return record(new StepResult(StepResult.Kind.CRASHED, batchId, replay,
          Optional.of(result), Optional.of(crash)));
    }
    commits.add(batchId); // Spark writes commits/N only after foreachBatch returned
    clock.advance(tick);
    return record(new StepResult(StepResult.Kind.ACKNOWLEDGED, batchId, replay,
        Optional.of(result), Optional.empty()));
  }

  /**
   * Steps until every submitted input is acknowledged, restarting after each simulated crash.
   *
   * @return the steps taken, in order
   */
  public List<StepResult> runToCompletion() {
    List<StepResult> steps = new ArrayList<>();
    for (int guard = 0; guard < 100_000; guard++) {
      if (sink == null) {
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

  /** Starts a new "process": closes any live sink and builds a new one (cold ledger). */
  public MicroBatchDriver restart() {
    if (sink != null) {
      sink.close();
    }
    restarts++;
    clock.advance(tick);
    sink = sinkFactory.get();
    return this;
  }

  /**
   * Deletes the commit entry of {@code batchId} (like deleting Spark's {@code commits/N}), so
   * the batch is replayed after the next {@link #restart()}. Only the last batch can be
   * forgotten, as in Spark.
   */
  public MicroBatchDriver forgetCommit(long batchId) {
    if (offsets.isEmpty() || offsets.lastKey() != batchId) {
      throw new IllegalArgumentException("only the last planned batch can be forgotten; batch "
          + batchId + " is not it (offsets: " + offsets.keySet() + ")");
    }
    commits.remove(batchId);
    return this;
  }

  /**
   * Starts a brand-new checkpoint (a new query id, batch ids from 0 again) over the input not
   * planned yet, as when a user points the query at a new checkpoint location. An
   * unacknowledged batch of the old checkpoint is abandoned.
   */
  public MicroBatchDriver startNewCheckpoint() {
    offsets.clear();
    commits.clear();
    queryId = UUID.randomUUID().toString();
    return this;
  }

  /** An immutable snapshot of the checkpoint. */
  public Checkpoint checkpoint() {
    return new Checkpoint(queryId, offsets, commits);
  }

  /** How many inputs were submitted. */
  public int submitted() {
    return inputs.size();
  }

  /** The live sink, or empty while the stream is stopped. */
  public Optional<LanceSink> sink() {
    return Optional.ofNullable(sink);
  }

  /** How many times the stream was restarted. */
  public int restarts() {
    return restarts;
  }

  /** Every step taken so far (an immutable copy). */
  public List<StepResult> history() {
    return List.copyOf(history);
  }

  /** The driver's clock. */
  public ManualClock clock() {
    return clock;
  }

  private StepResult record(StepResult s) {
    history.add(s);
    return s;
  }

  private void die() {
    if (sink != null) {
      try {
        sink.close();
      } finally {
        sink = null;
      }
    }
  }

  /** Closes the live sink and the driver's allocator. */
  @Override
  public void close() {
    die();
    allocator.close();
  }

  /** Builds a {@link MicroBatchDriver}. */
  public static final class Builder {
    private Supplier<LanceSink> sinkFactory;
    private Faults faults;
    private ManualClock clock = new ManualClock();
    private Duration tick = Duration.ofSeconds(1);
    private String queryId = UUID.randomUUID().toString();

    private Builder() {}

    /**
     * Builds a sink for each "process" start. It must return a NEW sink each time, writing to
     * the same table, so a restart starts with a cold ledger.
     */
    public Builder sinkFactory(Supplier<LanceSink> factory) {
      this.sinkFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** The fault script of the table the sinks write to (needed for table-level crashes). */
    public Builder faults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
      return this;
    }

    /** The clock advanced by one tick per acknowledged batch and per restart. */
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

    public MicroBatchDriver build() {
      if (sinkFactory == null) {
        throw new IllegalStateException("sinkFactory is required");
      }
      return new MicroBatchDriver(this);
    }
  }
}
