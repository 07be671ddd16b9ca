package io.github.lancesink.testkit;

import io.github.lancesink.CommitConflictException;
import io.github.lancesink.CommitStateUnknownException;
import io.github.lancesink.RetryableException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A script of faults for a {@link FaultInjectingTable} (and {@link InMemoryLanceTable}, which
 * uses one). Commit faults queue up in the order they are armed and each applies to exactly one
 * commit call; crash points are one-shot. Thread-safe; one instance may be shared by several
 * table handles (for example across simulated restarts).
 *
 * <pre>{@code
 * Faults faults = new Faults()
 *     .failNextCommits(2)               // two RetryableExceptions, nothing lands
 *     .commitThenThrowStateUnknown(1)   // the third commit lands, then the call throws
 *     .crashAt(CrashPoint.AFTER_FRAGMENTS_WRITTEN);
 * }</pre>
 *
 * @since 0.1.0
 */
public final class Faults {

  /** What a scripted commit fault does. */
  public enum CommitFault {
    /** Throw {@link RetryableException}; nothing lands. */
    FAIL_RETRYABLE,
    /** Throw {@link CommitConflictException}; nothing lands. */
    CONFLICT,
    /** Throw {@link CommitStateUnknownException} without committing. */
    STATE_UNKNOWN_NOT_COMMITTED,
    /** Commit for real, then throw {@link CommitStateUnknownException}. */
    COMMIT_THEN_STATE_UNKNOWN
  }

  private final Deque<CommitFault> commitFaults = new ArrayDeque<>();
  private final Set<CrashPoint> crashes = EnumSet.noneOf(CrashPoint.class);
  private final Deque<Runnable> beforeCommit = new ArrayDeque<>();
  private int injected;

  /** The next {@code n} commits throw {@link RetryableException} and land nothing. */
  public Faults failNextCommits(int n) {
    return queue(CommitFault.FAIL_RETRYABLE, n);
  }

  /** The next {@code n} commits throw {@link CommitConflictException} and land nothing. */
  public Faults conflictOnNextCommits(int n) {
    return queue(CommitFault.CONFLICT, n);
  }

  /** The next {@code n} commits land, then throw {@link CommitStateUnknownException}. */
  public Faults commitThenThrowStateUnknown(int n) {
    return queue(CommitFault.COMMIT_THEN_STATE_UNKNOWN, n);
  }

  /** The next {@code n} commits throw {@link CommitStateUnknownException} WITHOUT landing. */
  public Faults throwStateUnknownWithoutCommit(int n) {
    return queue(CommitFault.STATE_UNKNOWN_NOT_COMMITTED, n);
  }

  /** Appends {@code n} commit faults of {@code fault} to the script. */
  public synchronized Faults queue(CommitFault fault, int n) {
    Objects.requireNonNull(fault, "fault");
    if (n < 0) {
      throw new IllegalArgumentException("fault count must be >= 0, was " + n);
    }
    for (int i = 0; i < n; i++) {
      commitFaults.addLast(fault);
    }
    return this;
  }

  /**
   * Arms a one-shot {@link SimulatedCrash} at {@code point}. Table-level points fire in the
   * table; {@link CrashPoint#AFTER_RESULT_BEFORE_CHECKPOINT} is only read by {@link
   * MicroBatchDriver}.
   */
  public synchronized Faults crashAt(CrashPoint point) {
    crashes.add(Objects.requireNonNull(point, "point"));
    return this;
  }

  /**
   * Runs {@code action} on the committing thread right before the next commit call (one-shot),
   * e.g. a barrier that lines two writers up so their commits truly race.
   */
  public synchronized Faults beforeNextCommit(Runnable action) {
    beforeCommit.addLast(Objects.requireNonNull(action, "action"));
    return this;
  }

  /** Disarms every crash point; queued commit faults stay. */
  public synchronized Faults disarmCrashes() {
    crashes.clear();
    return this;
  }

  /** Forgets every armed fault. */
  public synchronized Faults clear() {
    commitFaults.clear();
    crashes.clear();
    beforeCommit.clear();
    return this;
  }

  /** Commit faults still queued. */
  public synchronized int pendingCommitFaults() {
    return commitFaults.size();
  }

  /** True when a crash is armed at {@code point}. */
  public synchronized boolean isArmed(CrashPoint point) {
    return crashes.contains(point);
  }

  /** How many faults (commit faults and crashes) have fired so far. */
  public synchronized int injectedCount() {
    return injected;
  }

  /** Throws {@link SimulatedCrash} if a crash is armed at {@code point}, disarming it. */
  public synchronized void maybeCrash(CrashPoint point) {
    if (crashes.remove(point)) {
      injected++;
      throw new SimulatedCrash(point);
    }
  }

  /** Runs (outside the lock) the next one-shot before-commit action, if any. */
  void runBeforeCommit() {
    Runnable r;
    synchronized (this) {
      r = beforeCommit.pollFirst();
    }
    if (r != null) {
      r.run();
    }
  }

  /** Takes the next scripted commit fault, or null when none is queued. */
  synchronized CommitFault takeCommitFault() {
    CommitFault f = commitFaults.pollFirst();
    if (f != null) {
      injected++;
    }
    return f;
  }

  @Override
  public synchronized String toString() {
    return "Faults{commitFaults=" + commitFaults + ", crashes=" + crashes + ", injected="
        + injected + "}";
  }
}
