package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult.Outcome;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spi.LanceTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * One randomized run: a seed chooses batch sizes (some empty) and, before every step, a fault:
 * a crash at any of the four points, retryable failures, conflicts, ambiguous commits that did
 * or did not land, a plain restart, or a forgotten checkpoint entry. A reference model predicts
 * which batches are in the table and what each step must return; the table is compared with it
 * after every step and at the end.
 */
final class CrashSequence {
  static final String WRITER = "random-writer";

  private final long seed;
  private final Random rng;
  private final int dim;
  private final int maxRows;
  private final Supplier<LanceTable> handles; // a new handle per "process"
  private final List<LanceTable> opened = new ArrayList<>();
  private final ManualClock clock = new ManualClock();

  CrashSequence(long seed, int dim, int maxRows, Supplier<LanceTable> handles) {
    this.seed = seed;
    this.rng = new Random(seed);
    this.dim = dim;
    this.maxRows = maxRows;
    this.handles = handles;
  }

  private LanceSinkSettings settings() {
    return LanceSinkSettings.builder()
        .writerId(WRITER)
        .vectorColumn("vector", dim)
        .retryPolicy(RetryPolicy.builder().maxAttempts(8).backoff(Backoff.none()).build())
        .optimizePolicy(OptimizePolicy.never())
        .build();
  }

  /** A new handle per "process"; kept open for the assertions and closed at the end. */
  private LanceTable open() {
    LanceTable handle = handles.get();
    opened.add(handle);
    return handle;
  }

  void run() {
    try {
      runUnchecked();
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError("seed " + seed + " failed: " + e, e);
    } finally {
      opened.forEach(LanceTable::close);
    }
  }

  private void runUnchecked() {
    List<TestBatch> batches = new ArrayList<>();
    long nextId = 0;
    int n = 3 + rng.nextInt(5);
    for (int i = 0; i < n; i++) {
      int rows = rng.nextInt(10) == 0 ? 0 : 1 + rng.nextInt(maxRows);
      batches.add(TestBatch.sequential(nextId, rows, dim));
      nextId += rows;
    }
    SortedSet<Long> modelCommitted = new TreeSet<>(); // non-empty batches the model says landed
    try (MicroBatchDriver driver = MicroBatchDriver.builder().tables(this::open)
        .settings(settings()).clock(clock).build()) {
      batches.forEach(driver::submit);
      for (int guard = 0; guard < 200; guard++) {
        if (driver.sink().isEmpty()) {
          driver.restart();
        }
        CrashPoint crash = armRandomFault(driver);
        Long next = nextBatch(driver);
        if (next == null) {
          break;
        }
        TestBatch input = batches.get((int) (long) next); // one checkpoint: batch id = input
        boolean wasCommitted = modelCommitted.contains(next);
        StepResult s = driver.step();
        assertThat(s.batchId()).isEqualTo(next);
        boolean landsWhenReached = input.size() > 0 && !wasCommitted;
        if (s.kind() == StepResult.Kind.CRASHED) {
          assertThat(s.crash()).hasValue(crash);
          boolean landed = crash == CrashPoint.AFTER_COMMIT_BEFORE_RESULT
              || crash == CrashPoint.AFTER_RESULT_BEFORE_CHECKPOINT;
          if (landed && landsWhenReached) {
            modelCommitted.add(next);
          }
        } else {
          Outcome expected = input.size() == 0 ? Outcome.EMPTY
              : wasCommitted ? Outcome.SKIPPED_DUPLICATE : Outcome.COMMITTED;
          assertThat(s.result().orElseThrow().outcome()).as("batch %s", next)
              .isEqualTo(expected);
          if (landsWhenReached) {
            modelCommitted.add(next);
          }
        }
        checkTable(batches, driver, modelCommitted);
      }
      assertThat(driver.checkpoint().commits()).hasSize(batches.size());
    }
    long[] nonEmpty = new long[batches.size()];
    int k = 0;
    for (int i = 0; i < batches.size(); i++) {
      if (batches.get(i).size() > 0) {
        nonEmpty[k++] = i;
      }
    }
    LanceTable t = opened.get(opened.size() - 1);
    assertThat(t).containsExactlyRowsOf(batches.toArray(TestBatch[]::new))
        .hasNoDuplicateKeys("id")
        .hasCommittedBatches(WRITER, java.util.Arrays.copyOf(nonEmpty, k));
  }

  /** The batch id the next step will run, or null when the stream is drained. */
  private static Long nextBatch(MicroBatchDriver driver) {
    Checkpoint c = driver.checkpoint();
    if (c.unacknowledged().isPresent()) {
      return c.unacknowledged().getAsLong();
    }
    int planned = c.offsets().isEmpty() ? 0 : c.offsets().get(c.offsets().lastKey()) + 1;
    if (planned >= driver.submitted()) {
      return null;
    }
    return c.offsets().isEmpty() ? 0L : c.offsets().lastKey() + 1;
  }

  private CrashPoint armRandomFault(MicroBatchDriver driver) {
    int roll = rng.nextInt(100);
    if (roll < 30) {
      CrashPoint p = CrashPoint.values()[rng.nextInt(CrashPoint.values().length)];
      driver.crashOnNextBatch(p);
      return p;
    }
    if (roll < 50 && driver.faults().pendingCommitFaults() == 0) {
      switch (rng.nextInt(4)) {
        case 0 -> driver.faults().failNextCommits(1 + rng.nextInt(2));
        case 1 -> driver.faults().conflictOnNextCommits(1 + rng.nextInt(2));
        case 2 -> driver.faults().commitThenThrowStateUnknown(1);
        default -> driver.faults().throwStateUnknownWithoutCommit(1);
      }
    } else if (roll < 55) {
      driver.restart();
    } else if (roll < 60 && driver.checkpoint().lastAcknowledged().isPresent()
        && driver.checkpoint().unacknowledged().isEmpty()) {
      driver.forgetCommit(driver.checkpoint().lastAcknowledged().getAsLong());
      driver.restart();
    }
    return null;
  }

  /** Reference check: the table holds exactly the rows of the batches the model committed. */
  private void checkTable(List<TestBatch> batches, MicroBatchDriver driver,
      SortedSet<Long> modelCommitted) {
    LanceTable t = opened.get(opened.size() - 1);
    if (t.latestVersion().isEmpty()) {
      assertThat(modelCommitted).isEmpty();
      return;
    }
    List<Long> ids = new ArrayList<>();
    for (long b : modelCommitted) {
      ids.addAll(batches.get((int) b).ids());
    }
    assertThat(t).containsExactlyRowsById(ids);
  }
}
