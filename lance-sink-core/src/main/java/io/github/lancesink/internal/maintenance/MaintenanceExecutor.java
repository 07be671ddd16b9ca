package io.github.lancesink.internal.maintenance;

import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the maintenance a commit made due, inline or on one background thread. {@link
 * #afterCommit} never throws and, in background mode, never waits: a commit made while a run is
 * in progress is counted and folded into the next run.
 */
public final class MaintenanceExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceExecutor.class);

  private final OptimizePolicy policy;
  private final MaintenancePlanner planner;
  private final MaintenanceRunner runner;
  private final ExecutorService background;
  private final AtomicBoolean running = new AtomicBoolean();

  public MaintenanceExecutor(OptimizePolicy policy, MaintenancePlanner planner,
      MaintenanceRunner runner, String writerId) {
    this.policy = policy;
    this.planner = planner;
    this.runner = runner;
    this.background = policy.enabled() && policy.mode() == MaintenanceMode.BACKGROUND
        ? Executors.newSingleThreadExecutor(r -> {
          Thread t = new Thread(r, "lance-sink-maintenance-" + writerId);
          t.setDaemon(true);
          return t;
        })
        : null;
  }

  /** Called by the protocol after a data commit landed. */
  public void afterCommit(long batchId, long version) {
    if (!policy.enabled()) {
      return;
    }
    planner.commitObserved();
    try {
      if (background == null) {
        runner.cycle(batchId, version, true);
      } else if (running.compareAndSet(false, true)) {
        background.execute(() -> {
          try {
            runner.cycle(batchId, version, false);
          } finally {
            running.set(false);
          }
        });
      }
    } catch (RejectedExecutionException e) {
      running.set(false); // closed concurrently; nothing to do
    } catch (RuntimeException e) {
      LOG.warn("lance-sink maintenance after batch {} failed unexpectedly; ignored", batchId, e);
    }
  }

  /** True while a background run is in progress (for tests and close). */
  public boolean busy() {
    return running.get();
  }

  /** Stops the background thread, waiting at most the policy's budget for a run in progress. */
  @Override
  public void close() {
    if (background == null) {
      return;
    }
    background.shutdown();
    try {
      if (!background.awaitTermination(policy.budget().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("lance-sink maintenance still running after {}; interrupting it (Lance keeps"
            + " the table consistent; the action is redone later)", policy.budget());
        background.shutdownNow();
      }
    } catch (InterruptedException e) {
      background.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
