package io.github.lancesink.internal.maintenance;

import io.github.lancesink.CommitConflictException;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.internal.EventBus;
import io.github.lancesink.internal.LedgerCheckpoint;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.TableMaintenance;
import io.github.lancesink.spi.TableStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.LongConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides HOW intents run: in order, through the table port, within the inline time budget and
 * the per-run version bound. A failing action is reported and scheduled for retry by the
 * planner; it never reaches the batch that triggered it.
 */
public final class MaintenanceRunner {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceRunner.class);

  private final String writerId;
  private final OptimizePolicy policy;
  private final LanceTable table;
  private final MaintenancePlanner planner;
  private final EventBus events;
  private final Clock clock;
  private volatile boolean unsupported;
  private volatile boolean baselineRead;
  private volatile boolean noShape;
  private volatile ShapeEstimate shape;

  /** Config key of the rows the current vector index was trained on (the drift baseline). */
  public static final String TRAINED_ROWS_KEY = "lancesink.maintenance.vector-index.trained-rows";
  /** Config key of the current vector index's name (the baseline belongs to it). */
  public static final String INDEX_NAME_KEY = "lancesink.maintenance.vector-index.name";

  /**
   * How the slow actions (index build, retrain) reach the lanes: {@code readFloor} learns the
   * largest fragment id the build reads once it opened the table; {@code exclusive} runs the
   * short steps after the build (refresh, drop of the old index, baseline) with the cheap lane
   * held off.
   */
  public record SlowHooks(LongConsumer readFloor, Consumer<Runnable> exclusive) {
    /** One lane: nothing to tell, nothing to hold off. */
    public static final SlowHooks INLINE = new SlowHooks(f -> {}, Runnable::run);
  }

  public MaintenanceRunner(String writerId, OptimizePolicy policy, LanceTable table,
      MaintenancePlanner planner, EventBus events, Clock clock) {
    this.writerId = writerId;
    this.policy = policy;
    this.table = table;
    this.planner = planner;
    this.events = events;
    this.clock = clock;
  }

  /**
   * One cycle after the data commit {@code version} of {@code batchId}: read the table's shape,
   * ask the planner for intents, run them. Never throws.
   *
   * @param budgeted whether the inline budget applies (background runs are unbounded in time)
   */
  public void cycle(long batchId, long version, boolean budgeted) {
    cycle(batchId, version, budgeted, Lanes.NONE, null);
  }

  /** Keeps {@code estimate} current whenever a cycle reads the table's shape. */
  void estimate(ShapeEstimate estimate) {
    this.shape = estimate;
  }

  /**
   * One cycle of the cheap lane: like {@link #cycle(long, long, boolean)}, but planned with what
   * the lanes report, and slow intents are handed to {@code slowLane} instead of run here (when
   * {@code slowLane} is null they run here, in order, as in inline mode).
   *
   * @return true when a plan ran (a trigger fired)
   */
  public boolean cycle(long batchId, long version, boolean budgeted, Lanes lanes,
      Consumer<MaintenanceIntent> slowLane) {
    return cycle(batchId, version, budgeted, lanes, slowLane, () -> false);
  }

  /**
   * Like {@link #cycle(long, long, boolean, Lanes, Consumer)}; between two actions, when {@code
   * yieldTo} says so (a stalled write waits for this lane), the rest of the plan is deferred to
   * the next cycle, so a stalled write waits for one action at most, never for a whole cycle.
   */
  public boolean cycle(long batchId, long version, boolean budgeted, Lanes lanes,
      Consumer<MaintenanceIntent> slowLane, BooleanSupplier yieldTo) {
    if (unsupported) {
      return false;
    }
    Instant start = clock.instant();
    MaintenanceIntent.Plan plan;
    try {
      restoreBaseline();
      ShapeEstimate estimate = shape;
      if (estimate != null) {
        estimate.beforeRead();
      }
      planner.statsReadStarting();
      TableStats stats = ops().stats();
      List<IndexState> indices = ops().indices();
      if (estimate != null) {
        estimate.read(stats, indices.stream().anyMatch(i -> i.kind() == IndexState.Kind.VECTOR));
      }
      plan = planner.plan(start, stats, indices, lanes);
    } catch (UnsupportedOperationException e) {
      unsupported = true;
      LOG.warn("lance-sink writer '{}': the table port {} does not support maintenance, so the"
          + " optimize policy is off for this sink ({}). Use OptimizePolicy.never() to silence"
          + " this.", writerId, table.getClass().getName(), e.getMessage());
      events.publish(new SinkEvent.MaintenanceRan(writerId, clock.instant(), "plan", false,
          Duration.ZERO, "unsupported by the table port: " + e.getMessage()));
      return false;
    } catch (RuntimeException e) {
      LOG.warn("lance-sink writer '{}' could not plan maintenance on {}: {}", writerId,
          table.displayUri(), e.getMessage());
      events.publish(new SinkEvent.MaintenanceRan(writerId, clock.instant(), "plan", false,
          Duration.between(start, clock.instant()), String.valueOf(e.getMessage())));
      return false;
    }
    if (plan.triggers().isEmpty()) {
      return false;
    }
    if (!lanes.stall()) {
      planner.runStarted(start); // a stall's plan leaves the counters to the background cycle
    }
    events.publish(new SinkEvent.MaintenancePlanned(writerId, clock.instant(), batchId, version,
        plan.triggers().stream().map(MaintenanceTrigger::label).toList(),
        plan.intents().stream().map(i -> i.action().label()).toList()));
    List<MaintenanceIntent> here = plan.intents();
    if (slowLane != null) {
      here = here.stream().filter(i -> !i.action().slow()).toList();
      plan.intents().stream().filter(i -> i.action().slow()).forEach(slowLane);
    }
    run(here, start, budgeted, yieldTo);
    observe();
    return true;
  }

  /** Reads the table's shape into the write-stall estimate, planning and running nothing. */
  void readShape() {
    ShapeEstimate estimate = shape;
    if (estimate == null || unsupported || noShape) {
      return;
    }
    try {
      estimate.beforeRead();
      TableStats stats = ops().stats();
      estimate.read(stats, ops().indices().stream()
          .anyMatch(i -> i.kind() == IndexState.Kind.VECTOR));
    } catch (UnsupportedOperationException e) {
      noShape = true; // the port has no stats: no estimate, no stalls (a cycle logs why)
    } catch (RuntimeException e) {
      LOG.debug("lance-sink writer '{}' could not read the table's shape", writerId, e);
    }
  }

  /** Reads the drift baseline from table config once per sink (before the first plan). */
  private void restoreBaseline() {
    if (baselineRead) {
      return;
    }
    Map<String, String> config = table.config();
    String rows = config.get(TRAINED_ROWS_KEY);
    String name = config.get(INDEX_NAME_KEY);
    if (rows != null && name != null) {
      try {
        planner.restoreBaseline(name, Long.parseLong(rows));
      } catch (NumberFormatException e) {
        LOG.warn("lance-sink writer '{}': table config {}={} is not a row count; drift counts"
            + " from the index's current rows", writerId, TRAINED_ROWS_KEY, rows);
      }
    }
    baselineRead = true;
  }

  /** Runs one slow intent (on the slow lane), reporting it like any other action. */
  public void runSlow(MaintenanceIntent intent, SlowHooks hooks) {
    runOne(intent, hooks);
    observe();
  }

  private void run(List<MaintenanceIntent> intents, Instant start, boolean budgeted,
      BooleanSupplier yieldTo) {
    int versionsUsed = 0;
    boolean yielded = false;
    for (MaintenanceIntent intent : intents) {
      String label = intent.action().label();
      if (yielded || (versionsUsed > 0 && yieldTo.getAsBoolean())) {
        yielded = true;
        defer(label, "yielded to a stalled write", Optional.empty());
        continue;
      }
      if (budgeted && Duration.between(start, clock.instant()).compareTo(policy.budget()) >= 0) {
        defer(label, "inline budget of " + policy.budget() + " spent", Optional.empty());
        continue;
      }
      if (versionsUsed + intent.action().versions() > policy.retention().maxVersionsPerCommit()) {
        defer(label, "run reached its bound of " + policy.retention().maxVersionsPerCommit()
            + " versions",
            Optional.empty());
        continue;
      }
      versionsUsed += intent.action().versions();
      runOne(intent, SlowHooks.INLINE);
    }
  }

  private void runOne(MaintenanceIntent intent, SlowHooks hooks) {
    String label = intent.action().label();
    Instant began = clock.instant();
    try {
      String detail = execute(intent, hooks);
      Duration took = Duration.between(began, clock.instant());
      planner.succeeded(intent);
      LOG.info("lance-sink writer '{}' maintenance {} on {} took {} ms: {}", writerId, label,
          table.displayUri(), took.toMillis(), detail);
      events.publish(new SinkEvent.MaintenanceRan(writerId, clock.instant(), label, true, took,
          detail));
    } catch (CommitConflictException e) {
      if (intent.action().slow()) {
        failed(intent, label, began, e);
        return;
      }
      // a cheap action lost a race (a concurrent rewrite or index commit): it is planned again
      // on fresh stats by the next cycle, without backoff
      planner.deferred();
      events.publish(new SinkEvent.MaintenanceRan(writerId, clock.instant(), label, false,
          Duration.between(began, clock.instant()), "conflict, planned again: " + e.getMessage()));
    } catch (RuntimeException | LinkageError e) {
      failed(intent, label, began, e);
    }
  }

  private void failed(MaintenanceIntent intent, String label, Instant began, Throwable e) {
    Duration took = Duration.between(began, clock.instant());
    Instant retryAt = planner.failed(intent, clock.instant());
    LOG.warn("lance-sink writer '{}' maintenance {} on {} failed (batches are unaffected;"
        + " retry after {}): {}", writerId, label, table.displayUri(), retryAt,
        e.getMessage());
    events.publish(new SinkEvent.MaintenanceRan(writerId, clock.instant(), label, false, took,
        e.getClass().getSimpleName() + ": " + e.getMessage()));
    events.publish(new SinkEvent.MaintenanceDeferred(writerId, clock.instant(), label,
        "failed", Optional.of(retryAt)));
  }

  /**
   * After a build landed, with the cheap lane held off: a retrain refreshes the new index (it
   * misses the rows committed while it built), drops the index it replaces, and both record the
   * drift baseline in table config so a restart keeps it.
   */
  private void afterBuild(MaintenanceIntent.BuildIndex build, boolean refresh) {
    String name = build.spec().name();
    if (refresh) {
      ops().optimizeIndices(0); // rows committed while it built (none when inline)
    }
    if (build.replaces() != null && !build.replaces().equals(name)) {
      ops().dropIndex(build.replaces());
    }
    table.updateConfig(Map.of(TRAINED_ROWS_KEY, Long.toString(build.trainedRows()),
        INDEX_NAME_KEY, name));
  }

  private void defer(String label, String reason, Optional<Instant> retryAt) {
    planner.deferred();
    events.publish(new SinkEvent.MaintenanceDeferred(writerId, clock.instant(), label, reason,
        retryAt));
  }

  private String execute(MaintenanceIntent intent, SlowHooks hooks) {
    if (intent instanceof MaintenanceIntent.DropIndex d) {
      ops().dropIndex(d.name());
      return "dropped '" + d.name() + "' (left by an interrupted retrain)";
    } else if (intent instanceof MaintenanceIntent.Compact c) {
      ops().compact(c.targetRows(), policy.triggers().maxDeletedRatio());
      return "target " + c.targetRows() + " rows per fragment";
    } else if (intent instanceof MaintenanceIntent.MergeFragments m) {
      ops().mergeFragments(m.ids());
      return "merged fragments " + m.ids();
    } else if (intent instanceof MaintenanceIntent.BuildIndex b) {
      IndexSpec spec = b.spec();
      ops().createIndex(spec, hooks.readFloor());
      hooks.exclusive().accept(() -> afterBuild(b, hooks != SlowHooks.INLINE));
      return spec.vectorType() + " '" + spec.name() + "' on '" + spec.column() + "' with "
          + spec.partitions() + " partitions over " + b.trainedRows() + " rows"
          + (b.replaces() == null ? "" : ", replacing '" + b.replaces() + "'");
    } else if (intent instanceof MaintenanceIntent.ScalarIndex x) {
      ops().createIndex(x.spec());
      return "BTREE on '" + x.spec().column() + "'";
    } else if (intent instanceof MaintenanceIntent.OptimizeIndices o) {
      ops().optimizeIndices(o.mergeSegments());
      return o.mergeSegments() == 0 ? "new rows added as a delta segment"
          : "merged " + o.mergeSegments() + " segments";
    } else if (intent instanceof MaintenanceIntent.Cleanup c) {
      // checkpoint first, so the ledger never needs a version this cleanup removes
      int checkpointed = LedgerCheckpoint.advance(table, c.keepFrom());
      long removed = ops().cleanupVersions(c.keepFrom());
      return "removed " + removed + " versions older than " + c.keepFrom()
          + " (ledger checkpoints written: " + checkpointed + ")";
    }
    throw new IllegalStateException("unknown maintenance intent " + intent);
  }

  /** The port's maintenance; {@code build()} checked it exists whenever the policy is on. */
  private TableMaintenance ops() {
    return table.maintenance().orElseThrow(() -> new UnsupportedOperationException(
        table.getClass().getName() + " offers no maintenance (LanceTable.maintenance() is empty)"));
  }

  private void observe() {
    try {
      TableStats s = ops().stats();
      events.publish(new SinkEvent.TableStatsObserved(writerId, clock.instant(), s.version(),
          s.versions(), s.fragments(), s.rows(), s.deletedRows(), s.unindexedRows(),
          s.indexDeltas()));
    } catch (RuntimeException e) {
      LOG.debug("lance-sink writer '{}' could not read stats after maintenance", writerId, e);
    }
  }
}
