package io.github.lancesink.internal.maintenance;

import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.internal.EventBus;
import io.github.lancesink.internal.LedgerCheckpoint;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.TableStats;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
    if (unsupported) {
      return;
    }
    Instant start = clock.instant();
    MaintenanceIntent.Plan plan;
    try {
      TableStats stats = table.stats();
      plan = planner.plan(start, stats, table.indices());
    } catch (UnsupportedOperationException e) {
      unsupported = true;
      LOG.warn("lance-sink writer '{}': the table port {} does not support maintenance, so the"
          + " optimize policy is off for this sink ({}). Use OptimizePolicy.never() to silence"
          + " this.", writerId, table.getClass().getName(), e.getMessage());
      events.publish(new SinkEvent.MaintenanceRan(writerId, clock.instant(), "plan", false,
          Duration.ZERO, "unsupported by the table port: " + e.getMessage()));
      return;
    } catch (RuntimeException e) {
      LOG.warn("lance-sink writer '{}' could not plan maintenance on {}: {}", writerId,
          table.displayUri(), e.getMessage());
      events.publish(new SinkEvent.MaintenanceRan(writerId, clock.instant(), "plan", false,
          Duration.between(start, clock.instant()), String.valueOf(e.getMessage())));
      return;
    }
    if (plan.triggers().isEmpty()) {
      return;
    }
    planner.runStarted(start);
    events.publish(new SinkEvent.MaintenancePlanned(writerId, clock.instant(), batchId, version,
        plan.triggers().stream().map(MaintenanceTrigger::label).toList(),
        plan.intents().stream().map(i -> i.action().label()).toList()));
    run(plan.intents(), start, budgeted);
    observe();
  }

  private void run(List<MaintenanceIntent> intents, Instant start, boolean budgeted) {
    int versionsUsed = 0;
    for (MaintenanceIntent intent : intents) {
      String label = intent.action().label();
      if (budgeted && Duration.between(start, clock.instant()).compareTo(policy.budget()) >= 0) {
        defer(label, "inline budget of " + policy.budget() + " spent", Optional.empty());
        continue;
      }
      if (versionsUsed + intent.action().versions() > policy.maxVersionsPerCommit()) {
        defer(label, "run reached its bound of " + policy.maxVersionsPerCommit() + " versions",
            Optional.empty());
        continue;
      }
      versionsUsed += intent.action().versions();
      Instant began = clock.instant();
      try {
        String detail = execute(intent);
        Duration took = Duration.between(began, clock.instant());
        planner.succeeded(intent);
        LOG.info("lance-sink writer '{}' maintenance {} on {} took {} ms: {}", writerId, label,
            table.displayUri(), took.toMillis(), detail);
        events.publish(new SinkEvent.MaintenanceRan(writerId, clock.instant(), label, true, took,
            detail));
      } catch (RuntimeException | LinkageError e) {
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
    }
  }

  private void defer(String label, String reason, Optional<Instant> retryAt) {
    planner.deferred();
    events.publish(new SinkEvent.MaintenanceDeferred(writerId, clock.instant(), label, reason,
        retryAt));
  }

  private String execute(MaintenanceIntent intent) {
    switch (intent.action()) {
      case COMPACT -> {
        table.compact(intent.argument(), policy.maxDeletedRatio());
        return "target " + intent.argument() + " rows per fragment";
      }
      case BUILD_INDEX, RETRAIN_INDEX -> {
        table.createIndex(intent.index());
        return intent.index().vectorType() + " on '" + intent.index().column() + "' with "
            + intent.index().partitions() + " partitions over " + intent.argument() + " rows";
      }
      case SCALAR_INDEX -> {
        table.createIndex(intent.index());
        return "BTREE on '" + intent.index().column() + "'";
      }
      case OPTIMIZE_INDICES -> {
        table.optimizeIndices((int) intent.argument());
        return intent.argument() == 0 ? "new rows added as a delta segment"
            : "merged " + intent.argument() + " segments";
      }
      case CLEANUP -> {
        // checkpoint first, so the ledger never needs a version this cleanup removes
        int checkpointed = LedgerCheckpoint.advance(table, intent.argument());
        long removed = table.cleanupVersions(intent.argument());
        return "removed " + removed + " versions older than " + intent.argument()
            + " (ledger checkpoints written: " + checkpointed + ")";
      }
      default -> throw new IllegalStateException("unknown action " + intent.action());
    }
  }

  private void observe() {
    try {
      TableStats s = table.stats();
      events.publish(new SinkEvent.TableStatsObserved(writerId, clock.instant(), s.version(),
          s.versions(), s.fragments(), s.rows(), s.deletedRows(), s.unindexedRows(),
          s.indexDeltas()));
    } catch (RuntimeException e) {
      LOG.debug("lance-sink writer '{}' could not read stats after maintenance", writerId, e);
    }
  }
}
