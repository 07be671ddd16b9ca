package io.github.lancesink.internal.maintenance;

import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the maintenance a commit made due, inline or on one background thread. {@link
 * #afterCommit} never throws and, in background mode, never waits: a commit made while a cycle is
 * in progress is counted, and the background thread plans again as soon as that cycle ends (so
 * the last commit of a stream is never left unplanned because an earlier cycle was busy).
 */
public final class MaintenanceExecutor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceExecutor.class);

  private final OptimizePolicy policy;
  private final MaintenancePlanner planner;
  private final MaintenanceRunner runner;
  private final ExecutorService background;
  private final AtomicBoolean running = new AtomicBoolean();
  /** Commits observed; the background loop re-plans until it has seen the latest one. */
  private final AtomicLong requests = new AtomicLong();
  private volatile long[] latest = {-1, -1}; // batch id, version of the latest commit
  private volatile boolean closed;

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
        return;
      }
      latest = new long[] {batchId, version};
      requests.incrementAndGet();
      if (running.compareAndSet(false, true)) {
        background.execute(this::drain);
      }
    } catch (RejectedExecutionException e) {
      running.set(false); // closed concurrently; nothing to do
    } catch (RuntimeException e) {
      LOG.warn("lance-sink maintenance after batch {} failed unexpectedly; ignored", batchId, e);
    }
  }

  /**
   * The background loop: one cycle for the latest commit, again while commits arrived during it.
   * Releasing {@code running} and re-checking the counter closes the window in which a commit
   * could see the loop busy just as it decides to stop.
   */
  private void drain() {
    boolean holding = true;
    try {
      while (!closed) {
        long seen = requests.get();
        long[] commit = latest;
        runner.cycle(commit[0], commit[1], false);
        if (requests.get() != seen) {
          continue;
        }
        running.set(false);
        holding = false;
        if (requests.get() == seen || closed || !running.compareAndSet(false, true)) {
          return;
        }
        holding = true;
      }
    } catch (RuntimeException e) {
      LOG.warn("lance-sink background maintenance cycle failed unexpectedly; ignored", e);
    } finally {
      if (holding) {
        running.set(false);
      }
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
    closed = true;
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
