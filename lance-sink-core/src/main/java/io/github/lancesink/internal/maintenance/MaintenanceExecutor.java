package io.github.lancesink.internal.maintenance;

import io.github.lancesink.RetryableException;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.internal.CommitHook;
import io.github.lancesink.internal.EventBus;
import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the maintenance a commit made due, inline or on two background lanes.
 *
 * <p><b>Background.</b> The cheap lane (one daemon thread) merges fragments, refreshes and merges
 * index segments, builds scalar indices and cleans up; the slow lane (another) builds or
 * retrains the vector index. Cheap work never queues behind a build: while one runs, the cheap
 * lane merges only fragments the build does not read (Lance fails a build whose fragments a
 * Rewrite replaced) and refreshes the current index (a retrain builds under the other name, so
 * the two never commit the same index). {@link #afterCommit} never waits; commits made during a
 * cycle are folded into one more cycle as soon as it ends.
 *
 * <p><b>Write stalls</b> ({@link #beforeCommit}), as RocksDB's slowdown and stop triggers keep
 * its level 0 bounded whatever the write rate: when the next commit would take the table above
 * a slowdown bound, the writing thread runs the one cheap action that relieves it (merging the
 * unindexed tail, or a refresh), after the action in progress on the cheap lane (which yields
 * between actions to a waiting write); above a stop bound it keeps at it until the table is back
 * under the bound or the policy's budget is spent, and then fails the batch before anything is
 * committed.
 * Bounds: fragments slow down above 3/4 of {@code maxFragments} and stop above it; once a vector
 * index exists, unindexed rows slow down above 1.5x {@code maxUnindexedRows} and stop above 2x.
 * Every stall is reported as a {@link SinkEvent.WriteStalled}.
 */
public final class MaintenanceExecutor implements CommitHook {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceExecutor.class);

  private final OptimizePolicy policy;
  private final MaintenancePlanner planner;
  private final MaintenanceRunner runner;
  private final EventBus events;
  private final Clock clock;
  private final String writerId;
  private final ExecutorService background;
  private final ExecutorService slowLane;
  private final AtomicBoolean running = new AtomicBoolean();
  /** Commits observed; the background loop re-plans until it has seen the latest one. */
  private final AtomicLong requests = new AtomicLong();
  private volatile long[] latest = {-1, -1}; // batch id, version of the latest commit
  private volatile boolean closed;
  /** Held by every cheap cycle (background or a stalled writer) and by a build's swap. */
  private final ReentrantLock cheap = new ReentrantLock();
  private final Condition progress = cheap.newCondition();
  private final AtomicBoolean slowBusy = new AtomicBoolean();
  private volatile long readFloor = -1;
  private final ShapeEstimate shape = new ShapeEstimate();

  public MaintenanceExecutor(OptimizePolicy policy, MaintenancePlanner planner,
      MaintenanceRunner runner, String writerId, EventBus events, Clock clock) {
    this.policy = policy;
    this.planner = planner;
    this.runner = runner;
    this.events = events;
    this.clock = clock;
    this.writerId = writerId;
    boolean lanes = policy.enabled() && policy.mode() == MaintenanceMode.BACKGROUND;
    this.background = lanes ? daemon("lance-sink-maintenance-" + writerId) : null;
    this.slowLane = lanes ? daemon("lance-sink-index-build-" + writerId) : null;
    if (lanes) {
      runner.estimate(shape);
    }
  }

  private static ExecutorService daemon(String name) {
    return Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Called by the protocol after a batch was staged and before it commits {@code fragments}
   * fragments holding {@code rows} rows: stalls the write when that commit would cross a bound
   * (background mode only; see the class comment).
   *
   * @throws RetryableException when the stop bound still holds after the policy's budget;
   *     nothing was committed and the batch can be retried
   */
  public void beforeCommit(long batchId, int fragments, long rows) {
    if (background == null || closed) {
      return;
    }
    if (!shape.known()) {
      readShape(); // first commit of this sink: read the shape once
    }
    String slowdown = over(fragments, rows, false);
    if (slowdown == null) {
      return;
    }
    long startNanos = System.nanoTime();
    Instant start = clock.instant();
    long deadline = startNanos + policy.budget().toNanos();
    cheapCycle(batchId, true);
    String stop = over(fragments, rows, true);
    try {
      while (stop != null && System.nanoTime() < deadline && !closed) {
        waitForProgress(deadline);
        cheapCycle(batchId, true);
        stop = over(fragments, rows, true);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
    LOG.info("lance-sink writer '{}' batch {} stalled {} ms by maintenance: {}{}", writerId,
        batchId, took.toMillis(), stop != null ? stop : slowdown,
        stop != null ? " (stopped: not committed)" : "");
    events.publish(new SinkEvent.WriteStalled(writerId, clock.instant(), batchId,
        stop != null ? stop : slowdown, took, shape.fragmentsAfter(fragments),
        shape.indexed() ? shape.unindexedAfter(rows) : -1, stop != null));
    if (stop != null) {
      throw new RetryableException("lance-sink writer '" + writerId + "' batch " + batchId
          + " was not committed: " + stop + " and maintenance did not bring the table back"
          + " under the bound within the budget of " + policy.budget() + " (stalled since "
          + start + "). Nothing was committed; retry the batch. If this repeats, maintenance"
          + " is failing (see MaintenanceRan events) or the bounds are too tight for the write"
          + " rate: raise maxFragments / maxUnindexedRows or the budget.", null);
    }
  }

  /**
   * The bound the next commit would cross, or null. A batch that alone holds more fragments or
   * unindexed rows than a stop bound could never be committed under it, whatever maintenance
   * does; for such a batch that stop bound is not applied (the writer still runs the slowdown
   * cycle first, and maintenance brings the table back under the bound after the commit).
   */
  private String over(int fragments, long rows, boolean stop) {
    int maxFragments = policy.triggers().maxFragments();
    long maxUnindexed = policy.triggers().maxUnindexedRows();
    long f = shape.fragmentsAfter(fragments);
    if (maxFragments > 0 && !(stop && fragments > maxFragments)) {
      long bound = stop ? maxFragments : Math.max(2, maxFragments * 3L / 4);
      if (f > bound) {
        return "fragments " + f + " > " + (stop ? "stop " : "slowdown ") + bound;
      }
    }
    if (maxUnindexed > 0 && shape.indexed()
        && !(stop && rows > 2 * maxUnindexed)) {
      long u = shape.unindexedAfter(rows);
      long bound = stop ? 2 * maxUnindexed : maxUnindexed * 3 / 2;
      if (u > bound) {
        return "unindexed rows " + u + " > " + (stop ? "stop " : "slowdown ") + bound;
      }
    }
    return null;
  }

  private void waitForProgress(long deadlineNanos) throws InterruptedException {
    if (cheap.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
      try {
        // woken by the end of a cheap cycle or a build; at most 100 ms between re-plans
        progress.await(Math.min(100_000_000L, Math.max(0, deadlineNanos - System.nanoTime())),
            TimeUnit.NANOSECONDS);
      } finally {
        cheap.unlock();
      }
    }
  }

  private void readShape() {
    cheap.lock();
    try {
      runner.readShape();
    } finally {
      cheap.unlock();
    }
  }

  /** One cheap cycle on this thread under the cheap lock (waits for one in progress). */
  private void cheapCycle(long batchId, boolean stall) {
    cheap.lock();
    try {
      long[] commit = latest;
      runner.cycle(batchId, commit[1], false, lanes(stall), this::toSlowLane);
    } catch (RuntimeException e) {
      LOG.warn("lance-sink maintenance cycle before batch {} failed unexpectedly; ignored",
          batchId, e);
    } finally {
      progress.signalAll();
      cheap.unlock();
    }
  }

  private Lanes lanes(boolean stall) {
    return new Lanes(readFloor, slowBusy.get(), stall);
  }

  /** Called by the protocol after a data commit landed. */
  public void afterCommit(long batchId, long version) {
    afterCommit(batchId, version, 0, 0);
  }

  /** Called by the protocol after a data commit of {@code fragments} / {@code rows} landed. */
  public void afterCommit(long batchId, long version, int fragments, long rows) {
    if (!policy.enabled()) {
      return;
    }
    shape.committed(fragments, rows);
    planner.commitObserved();
    try {
      if (background == null) {
        runner.cycle(batchId, version, true);
        return;
      }
      latest = new long[] {batchId, version};
      kick();
    } catch (RuntimeException e) {
      LOG.warn("lance-sink maintenance after batch {} failed unexpectedly; ignored", batchId, e);
    }
  }

  private void kick() {
    requests.incrementAndGet();
    if (running.compareAndSet(false, true)) {
      try {
        background.execute(this::drain);
      } catch (RejectedExecutionException e) {
        running.set(false); // closed concurrently; nothing to do
      }
    }
  }

  /** Hands a build or retrain to the slow lane unless one is already running there. */
  private void toSlowLane(MaintenanceIntent intent) {
    if (closed || !slowBusy.compareAndSet(false, true)) {
      return;
    }
    try {
      slowLane.execute(() -> build(intent));
    } catch (RejectedExecutionException e) {
      slowBusy.set(false);
    }
  }

  private void build(MaintenanceIntent intent) {
    try {
      cheap.lock();
      try {
        readFloor = Long.MAX_VALUE; // no rewrite until the build says what it reads
      } finally {
        cheap.unlock();
      }
      runner.runSlow(intent, new MaintenanceRunner.SlowHooks(floor -> readFloor = floor, step -> {
        cheap.lock();
        try {
          step.run();
        } finally {
          cheap.unlock();
        }
      }));
    } catch (RuntimeException e) {
      LOG.warn("lance-sink index build failed unexpectedly; ignored", e);
    } finally {
      cheap.lock();
      try {
        readFloor = -1;
        slowBusy.set(false);
        progress.signalAll();
      } finally {
        cheap.unlock();
      }
      if (!closed) {
        kick(); // a cheap cycle with the whole table mergeable again, and a fresh estimate
      }
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
        cheapCycleInBackground(commit);
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

  private void cheapCycleInBackground(long[] commit) {
    cheap.lock();
    try {
      // between two actions, a write waiting on this lock (a stall) goes first
      runner.cycle(commit[0], commit[1], false, lanes(false), this::toSlowLane,
          cheap::hasQueuedThreads);
    } finally {
      progress.signalAll();
      cheap.unlock();
    }
  }

  /** True while a background run is in progress on either lane (for tests and close). */
  public boolean busy() {
    return running.get() || slowBusy.get();
  }

  /** Stops both lanes, waiting at most the policy's budget for runs in progress. */
  @Override
  public void close() {
    if (background == null) {
      return;
    }
    closed = true;
    background.shutdown();
    slowLane.shutdown();
    try {
      long deadline = System.nanoTime() + policy.budget().toNanos();
      boolean done = background.awaitTermination(policy.budget().toMillis(), TimeUnit.MILLISECONDS)
          && slowLane.awaitTermination(Math.max(0, deadline - System.nanoTime()),
              TimeUnit.NANOSECONDS);
      if (!done) {
        LOG.warn("lance-sink maintenance still running after {}; interrupting it (Lance keeps"
            + " the table consistent; the action is redone later)", policy.budget());
        background.shutdownNow();
        slowLane.shutdownNow();
      }
    } catch (InterruptedException e) {
      background.shutdownNow();
      slowLane.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
