package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult.Outcome;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedScenario;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Random;
import java.util.function.Supplier;

/**
 * {@link CrashSequence} for the keyed modes: a {@link KeyedScenario} of one kind (upsert,
 * sequenced upsert, change feed or replaceGroups) delivered through the {@link MicroBatchDriver}
 * with a random fault before every step (a crash at any of the four points, retryable failures,
 * conflicts, ambiguous commits that did or did not land, a plain restart, a forgotten checkpoint
 * entry). Batches land in order, so the table must always equal the model's state after the
 * last batch that landed; every step's outcome is predicted too.
 */
final class KeyedCrashSequence {
  static final String WRITER = "keyed-random-writer";

  private final long seed;
  private final KeyedScenario.Kind kind;
  private final Random rng;
  private final Supplier<LanceTable> handles; // a new handle per "process"
  private final List<LanceTable> opened = new ArrayList<>();
  private final ManualClock clock = new ManualClock();
  private KeyedScenario scenario;

  KeyedCrashSequence(KeyedScenario.Kind kind, long seed, Supplier<LanceTable> handles) {
    this.seed = seed;
    this.kind = kind;
    this.rng = new Random(seed * 7919 + kind.ordinal());
    this.handles = handles;
  }

  private LanceSinkSettings settings() {
    return LanceSinkSettings.builder()
        .writerId(WRITER)
        .writeMode(scenario.mode)
        .vectorColumn("vector", KeyedRows.DIM)
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
      throw new AssertionError(kind + " seed " + seed + " failed: " + e, e);
    } finally {
      opened.forEach(LanceTable::close);
    }
  }

  private void runUnchecked() {
    scenario = KeyedScenario.of(kind, seed, 4 + rng.nextInt(5));
    int n = scenario.steps.size();
    long landed = -1; // the model: batches 0..landed are in the table
    try (MicroBatchDriver driver = MicroBatchDriver.builder().tables(this::open)
        .settings(settings()).clock(clock).build()) {
      scenario.steps.forEach(s -> driver.submit(s.batch()::reader));
      for (int guard = 0; guard < 200; guard++) {
        if (driver.sink().isEmpty()) {
          driver.restart();
        }
        CrashPoint crash = armRandomFault(driver);
        Long next = nextBatch(driver);
        if (next == null) {
          break;
        }
        boolean wasCommitted = next <= landed;
        StepResult s = driver.step();
        assertThat(s.batchId()).isEqualTo(next);
        if (s.kind() == StepResult.Kind.CRASHED) {
          assertThat(s.crash()).hasValue(crash);
          boolean reachedCommit = crash == CrashPoint.AFTER_COMMIT_BEFORE_RESULT
              || crash == CrashPoint.AFTER_RESULT_BEFORE_CHECKPOINT;
          if (reachedCommit && !wasCommitted) {
            landed = next;
          }
        } else {
          assertThat(s.result().orElseThrow().outcome()).as("batch %s", next)
              .isEqualTo(wasCommitted ? Outcome.SKIPPED_DUPLICATE : Outcome.COMMITTED);
          landed = Math.max(landed, next);
        }
        checkTable(landed, "after batch " + next + " (" + s.kind() + ")");
      }
      assertThat(driver.checkpoint().commits()).hasSize(n);
    }
    assertThat(landed).isEqualTo(n - 1);
    LanceAssertions.assertThat(opened.get(opened.size() - 1)).hasCommittedBatches(WRITER,
        java.util.stream.LongStream.range(0, n).toArray());
  }

  private void checkTable(long landed, String when) {
    LanceTable t = opened.get(opened.size() - 1);
    Map<Long, Long> expected = landed < 0 ? Map.of() : scenario.steps.get((int) landed).after();
    if (t.latestVersion().isEmpty()) {
      assertThat(expected).as(when).isEmpty();
      return;
    }
    assertThat(KeyedRows.read(t, OptionalLong.empty())).as("%s %s", scenario.mode, when)
        .isEqualTo(expected);
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
}
