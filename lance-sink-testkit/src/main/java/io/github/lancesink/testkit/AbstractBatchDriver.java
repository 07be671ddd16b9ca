package io.github.lancesink.testkit;

import io.github.lancesink.BatchResult;
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

/**
 * The delivery loop shared by the testkit's drivers ({@link MicroBatchDriver} here, {@code
 * SparkBatchDriver} in {@code lance-sink-spark-testkit}): Spark's offsets and commits logs, a
 * manual clock, crashes at named {@link CrashPoint}s, restarts and replays of the
 * unacknowledged batch with the same id and the same input. A subclass supplies the "process"
 * (start it, stop it, deliver one batch to it); everything else lives here once.
 *
 * @param <I> one micro-batch of input
 * @param <D> the concrete driver (returned by the fluent methods)
 * @since 0.1.0
 */
public abstract class AbstractBatchDriver<I, D extends AbstractBatchDriver<I, D>>
    implements AutoCloseable {
  private final Faults faults;
  private final ManualClock clock;
  private final Duration tick;
  private final List<I> inputs = new ArrayList<>();
  private final SortedMap<Long, Integer> offsets = new TreeMap<>();
  private final SortedSet<Long> commits = new TreeSet<>();
  private final List<StepResult> history = new ArrayList<>();
  private String queryId;
  private int plannedInputs;
  private CrashPoint armed;
  private int restarts;

  /** Takes the shared wiring from {@code b}; the subclass starts its first process. */
  protected AbstractBatchDriver(Builder<?> b) {
    this.faults = b.faults;
    this.clock = b.clock;
    this.tick = b.tick;
    this.queryId = b.queryId;
  }

  /** Whether a process is live (false after a crash or a failure until {@link #restart()}). */
  protected abstract boolean running();

  /** Starts a new process: a new sink or function, with a cold ledger. */
  protected abstract void startProcess();

  /** Stops the live process, if any, releasing what it holds; {@link #running()} is then false. */
  protected abstract void stopProcess();

  /**
   * Delivers one batch to the live process, as {@code foreachBatch} would.
   *
   * @return the sink's result, when the process reports one
   * @throws Exception anything the process throws; a {@link SimulatedCrash} anywhere in the
   *     cause chain counts as a crash
   */
  protected abstract Optional<BatchResult> deliver(long batchId, String queryId, I input)
      throws Exception;

  /** Adds input; it becomes the next batch not yet planned. Returns its input index. */
  public int submit(I input) {
    inputs.add(Objects.requireNonNull(input, "input"));
    return inputs.size() - 1;
  }

  /**
   * Arms a crash for the next batch that runs. Table-level points are injected through the
   * table's {@link Faults}; {@link CrashPoint#AFTER_RESULT_BEFORE_CHECKPOINT} by the driver. A
   * crash that the batch never reaches (e.g. a skipped duplicate writes nothing) is disarmed
   * after the step.
   */
  public D crashOnNextBatch(CrashPoint point) {
    Objects.requireNonNull(point, "point");
    if (point.isTableLevel() && faults == null) {
      throw new IllegalStateException("crash point " + point + " is injected by the table, and"
          + " this driver has no Faults: give it the in-memory fake, a FaultInjectingTable, or"
          + " the table's Faults with .faults(..)");
    }
    this.armed = point;
    return self();
  }

  /** Runs the next micro-batch: the unacknowledged one if any, else the next input. */
  public StepResult step() {
    if (!running()) {
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
    Optional<BatchResult> result;
    try {
      result = deliver(batchId, queryId, inputs.get(offsets.get(batchId)));
    } catch (Exception e) {
      Optional<CrashPoint> crashed = simulatedCrash(e);
      stopProcess();
      if (crashed.isPresent()) {
        return record(new StepResult(StepResult.Kind.CRASHED, batchId, replay, Optional.empty(),
            crashed));
      }
      if (e instanceof RuntimeException r) {
        throw r;
      }
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw new IllegalStateException("batch " + batchId + " failed", e);
    } finally {
      if (faults != null) {
        faults.disarmCrashes();
      }
    }
    if (crash == CrashPoint.AFTER_RESULT_BEFORE_CHECKPOINT) {
      stopProcess();
      return record(new StepResult(StepResult.Kind.CRASHED, batchId, replay, result,
          Optional.of(crash)));
    }
    commits.add(batchId); // Spark writes commits/N only after foreachBatch returned
    clock.advance(tick);
    return record(new StepResult(StepResult.Kind.ACKNOWLEDGED, batchId, replay, result,
        Optional.empty()));
  }

  /**
   * Steps until every submitted input is acknowledged, restarting after each simulated crash.
   *
   * @return the steps taken, in order
   */
  public List<StepResult> runToCompletion() {
    List<StepResult> steps = new ArrayList<>();
    for (int guard = 0; guard < 100_000; guard++) {
      if (!running()) {
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

  /** Starts a new "process": stops any live one and starts a new one (cold ledger). */
  public D restart() {
    stopProcess();
    restarts++;
    clock.advance(tick);
    startProcess();
    return self();
  }

  /**
   * Deletes the commit entry of {@code batchId} (like deleting Spark's {@code commits/N}), so
   * the batch is replayed after the next {@link #restart()}. Only the last batch can be
   * forgotten, as in Spark.
   */
  public D forgetCommit(long batchId) {
    if (offsets.isEmpty() || offsets.lastKey() != batchId) {
      throw new IllegalArgumentException("only the last planned batch can be forgotten; batch "
          + batchId + " is not it (offsets: " + offsets.keySet() + ")");
    }
    commits.remove(batchId);
    return self();
  }

  /**
   * Starts a brand-new checkpoint (a new query id, batch ids from 0 again) over the input not
   * planned yet, as when a user points the query at a new checkpoint location. An
   * unacknowledged batch of the old checkpoint is abandoned.
   */
  public D startNewCheckpoint() {
    offsets.clear();
    commits.clear();
    queryId = UUID.randomUUID().toString();
    return self();
  }

  /** An immutable snapshot of the checkpoint (offsets and commits). */
  public Checkpoint checkpoint() {
    return new Checkpoint(queryId, offsets, commits);
  }

  /** How many inputs were submitted. */
  public int submitted() {
    return inputs.size();
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
    return clock;
  }

  private StepResult record(StepResult s) {
    history.add(s);
    return s;
  }

  @SuppressWarnings("unchecked")
  private D self() {
    return (D) this;
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

  /**
   * The wiring every driver builder shares: the clock, its tick and the initial query id.
   *
   * @param <B> the concrete builder
   * @since 0.1.0
   */
  public abstract static class Builder<B extends Builder<B>> {
    private ManualClock clock = new ManualClock();
    private Duration tick = Duration.ofSeconds(1);
    private String queryId = UUID.randomUUID().toString();
    private Faults faults;

    /** For subclasses. */
    protected Builder() {}

    /** The clock every (re)started process uses; advanced by one tick per batch and restart. */
    public B clock(ManualClock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return self();
    }

    /** How far the clock moves per acknowledged batch and per restart (default 1 s). */
    public B tick(Duration tick) {
      if (tick == null || tick.isNegative()) {
        throw new IllegalArgumentException("tick must be a non-negative duration, was " + tick);
      }
      this.tick = tick;
      return self();
    }

    /** The query id (source lineage) of the initial checkpoint; random by default. */
    public B queryId(String queryId) {
      if (queryId == null || queryId.isBlank()) {
        throw new IllegalArgumentException("queryId must be non-blank");
      }
      this.queryId = queryId;
      return self();
    }

    /** The clock given (or the default one). */
    protected final ManualClock clock() {
      return clock;
    }

    /** The table's fault script, or null when none is known yet. */
    protected final Faults faults() {
      return faults;
    }

    /** Sets the fault script that table-level crash points are armed on. */
    protected final void useFaults(Faults faults) {
      this.faults = Objects.requireNonNull(faults, "faults");
    }

    @SuppressWarnings("unchecked")
    private B self() {
      return (B) this;
    }
  }
}
