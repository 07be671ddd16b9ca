package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.BatchResult.Outcome;
import io.github.lancesink.ConfigurationException;
import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LedgerException;
import io.github.lancesink.LineagePolicy;
import io.github.lancesink.RetryableException;
import io.github.lancesink.policy.Backoff;
import io.github.lancesink.policy.RetryPolicy;
import io.github.lancesink.spi.LanceTable;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The reusable contract suite for a {@link LanceTable} implementation: the port behaviour
 * ({@link LanceTablePortContract}) plus the sink's guarantees when {@link LanceSink} runs on the
 * port. Extend it, implement {@link #openTable()}, and answer every capability hook (they
 * have no default, so a missing answer is a compile error, not silently skipped tests):
 *
 * <pre>{@code
 * class MyTableContractTest extends LanceTableContract {
 *   @Override protected LanceTable openTable() { return new MyTable(uri); }
 *   @Override protected boolean supportsConcurrentWriters() { return true; }
 *   @Override protected boolean supportsCompaction() { return false; }
 *   @Override protected boolean supportsCleanup() { return false; }
 * }
 * }</pre>
 *
 * <p>Keyed writes (upsert, change feed, group replacement) have their own suite, {@link
 * KeyedTableContract}; an adapter that supports them extends that too.
 *
 * <p>Both the testkit's {@link InMemoryLanceTable} and the real Lance adapter pass this suite;
 * that is what makes the fake trustworthy. Faults are injected by wrapping the port in a {@link
 * FaultInjectingTable}, so every implementation is tested against the same faults.
 *
 * @since 0.1.0
 */
public abstract class LanceTableContract extends LanceTablePortContract {

  /**
   * Purpose: a replayed batch never duplicates rows, even for a new sink with a cold ledger.
   * Steps: write batches 0..2; a new sink replays 2 then writes 3. Pass: the replay is {@code
   * SKIPPED_DUPLICATE} with the version holding the marker; each batch is committed once and the
   * table holds exactly the rows of 0..3.
   */
  @Test
  void replayedBatchIsSkippedEvenWithColdLedger() {
    LanceSink first = sink(table());
    long v2 = 0;
    for (int b = 0; b < 3; b++) {
      BatchResult r = write(first, b, batch(b * 10L, 10));
      assertThat(r.outcome()).isEqualTo(Outcome.COMMITTED);
      v2 = r.version().getAsLong();
    }
    LanceSink cold = sink(newHandle());
    BatchResult replay = write(cold, 2, batch(20, 10));
    assertThat(replay.outcome()).isEqualTo(Outcome.SKIPPED_DUPLICATE);
    assertThat(replay.version()).hasValue(v2);
    assertThat(write(cold, 3, batch(30, 10)).outcome()).isEqualTo(Outcome.COMMITTED);
    assertThat(table()).containsExactlyRowsOf(batch(0, 40)).hasNoDuplicateKeys("id")
        .hasCommittedBatches(WRITER, 0, 1, 2, 3);
  }

  /**
   * Purpose: the crash matrix. A process crash at each named point, followed by a restart and
   * Spark-style replay, ends with exactly the rows of a fault-free run. Steps: a {@link
   * MicroBatchDriver} runs three batches, crashing the second at {@code point}, restarts and
   * drains. Pass: rows equal the three batches exactly; each batch committed once; one restart;
   * the crashed batch was replayed with the same id.
   */
  @ParameterizedTest
  @EnumSource(CrashPoint.class)
  void crashAtAnyPointEndsWithExactlyTheFaultFreeRows(CrashPoint point) {
    TestBatch[] batches = {batch(0, 7), batch(7, 5), batch(12, 9)};
    try (MicroBatchDriver driver = MicroBatchDriver.builder()
        .table(new FaultInjectingTable(table(), new Faults())).settings(settings()).clock(clock)
        .build()) {
      for (TestBatch b : batches) {
        driver.submit(b);
      }
      assertThat(driver.step().kind()).isEqualTo(StepResult.Kind.ACKNOWLEDGED);
      driver.crashOnNextBatch(point);
      StepResult crashed = driver.step();
      assertThat(crashed.kind()).isEqualTo(StepResult.Kind.CRASHED);
      assertThat(crashed.crash()).hasValue(point);
      List<StepResult> rest = driver.runToCompletion();
      assertThat(rest.get(0).batchId()).isEqualTo(1);
      assertThat(rest.get(0).replay()).isTrue();
      assertThat(driver.restarts()).isEqualTo(1);
      assertThat(driver.checkpoint().commits()).containsExactly(0L, 1L, 2L);
    }
    assertThat(table()).containsExactlyRowsOf(batches).hasCommittedBatches(WRITER, 0, 1, 2);
  }

  /**
   * Purpose: an ambiguous commit that DID land is never re-committed. Steps: the first commit
   * lands, then throws state-unknown. Pass: the write returns {@code COMMITTED} at the version
   * that landed; the batch is committed once; no extra version.
   */
  @Test
  void ambiguousCommitThatLandedIsNotDuplicated() {
    Faults faults = new Faults().commitThenThrowStateUnknown(1);
    LanceSink sink = sink(new FaultInjectingTable(table(), faults));
    write(sink, 0, batch(0, 5));
    long before = table().latestVersion().orElseThrow();
    BatchResult r = write(sink, 1, batch(5, 5));
    assertThat(r.outcome()).isEqualTo(Outcome.COMMITTED);
    assertThat(r.version()).hasValue(before + 1);
    assertThat(table()).hasLatestVersion(before + 1).containsExactlyRowsOf(batch(0, 10))
        .hasBatchCommittedOnce(WRITER, 1);
    assertThat(faults.injectedCount()).isEqualTo(1);
  }

  /**
   * Purpose: an ambiguous commit that did NOT land is committed again, exactly once. Steps: the
   * first commit throws state-unknown without landing. Pass: {@code COMMITTED} after 2 attempts;
   * the batch is committed once.
   */
  @Test
  void ambiguousCommitThatDidNotLandIsCommittedOnce() {
    Faults faults = new Faults().throwStateUnknownWithoutCommit(1);
    LanceSink sink = sink(new FaultInjectingTable(table(), faults));
    BatchResult r = write(sink, 0, batch(0, 5));
    assertThat(r.outcome()).isEqualTo(Outcome.COMMITTED);
    assertThat(r.attempts()).isEqualTo(2);
    assertThat(table()).containsExactlyRowsOf(batch(0, 5)).hasBatchCommittedOnce(WRITER, 0);
  }

  /**
   * Purpose: failures known to have no effect are retried per policy, and give up cleanly.
   * Steps: one retryable failure and one conflict, then a sink whose attempts are exhausted.
   * Pass: the first batch commits on attempt 3, once; the exhausted batch throws {@link
   * RetryableException} and commits nothing.
   */
  @Test
  void retryableFailuresAndConflictsAreRetriedThenSurface() {
    Faults faults = new Faults().failNextCommits(1).conflictOnNextCommits(1);
    LanceTable port = new FaultInjectingTable(table(), faults);
    BatchResult r = write(sink(port), 0, batch(0, 5));
    assertThat(r.attempts()).isEqualTo(3);
    faults.failNextCommits(5);
    LanceSink limited = sink(port, b -> b.retryPolicy(
        RetryPolicy.builder().maxAttempts(2).backoff(Backoff.none()).build()));
    long before = table().latestVersion().orElseThrow();
    assertThatThrownBy(() -> write(limited, 1, batch(5, 5)))
        .isInstanceOf(RetryableException.class);
    assertThat(table()).hasLatestVersion(before).containsExactlyRowsOf(batch(0, 5))
        .hasNoBatchCommitted(WRITER, 1);
  }

  /**
   * Purpose: a marker beyond the lookback window fails closed. Steps: this writer commits batch
   * 0; another writer commits 4 batches; a cold sink with lookback 2 writes batch 1. Pass:
   * {@link LedgerException} naming the lookback; nothing written.
   */
  @Test
  void lookbackMissFailsClosed() {
    write(sink(table()), 0, batch(0, 3));
    LanceSink other = sink(newHandle(), b -> b.writerId("other-writer"));
    for (int i = 0; i < 4; i++) {
      write(other, i, batch(100 + i * 3L, 3));
    }
    long before = table().latestVersion().orElseThrow();
    LanceSink cold = sink(newHandle(), b -> b.lookback(2));
    assertThatThrownBy(() -> write(cold, 1, batch(3, 3)))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining(WRITER)
        .hasMessageContaining("lookback");
    assertThat(table()).hasLatestVersion(before).hasRowCount(15).hasNoBatchCommitted(WRITER, 1);
  }

  /**
   * Purpose: a new source lineage reusing batch ids fails loudly; the explicit opt-in works.
   * Steps: lineage q1 commits batches 0 and 1; a sink with lineage q2 writes batch 0; then a sink
   * with {@code START_NEW_LINEAGE} does, then replays it. Pass: a {@link LedgerException} that
   * names both lineages and the opt-in, with nothing written; then COMMITTED, then SKIPPED.
   */
  @Test
  void newLineageFailsLoudlyUnlessOptedIn() {
    LanceSink q1 = sink(table());
    write(q1, 0, "q1", batch(0, 3));
    write(q1, 1, "q1", batch(3, 3));
    long before = table().latestVersion().orElseThrow();
    LanceSink q2 = sink(newHandle());
    assertThatThrownBy(() -> write(q2, 0, "q2", batch(6, 3)))
        .isInstanceOf(LedgerException.class)
        .hasMessageContaining("'q1'").hasMessageContaining("'q2'")
        .hasMessageContaining("START_NEW_LINEAGE");
    assertThat(table()).hasLatestVersion(before).hasRowCount(6);
    LanceSink optIn = sink(newHandle(), b -> b.lineagePolicy(LineagePolicy.START_NEW_LINEAGE));
    assertThat(write(optIn, 0, "q2", batch(6, 3)).outcome()).isEqualTo(Outcome.COMMITTED);
    assertThat(write(optIn, 0, "q2", batch(6, 3)).outcome())
        .isEqualTo(Outcome.SKIPPED_DUPLICATE);
    assertThat(table()).containsExactlyRowsOf(batch(0, 9));
  }

  /**
   * Purpose: empty batches commit nothing and do not move the ledger. Steps: commit batch 0,
   * write empty batch 1, then batch 2. Pass: {@code EMPTY}, version unchanged, last committed
   * batch still 0; batch 2 commits.
   */
  @Test
  void emptyBatchCommitsNothing() {
    LanceSink sink = sink(table());
    write(sink, 0, batch(0, 3));
    long before = table().latestVersion().orElseThrow();
    BatchResult r = write(sink, 1, TestBatch.empty(dimension()));
    assertThat(r.outcome()).isEqualTo(Outcome.EMPTY);
    assertThat(r.version()).isEmpty();
    assertThat(table()).hasLatestVersion(before);
    assertThat(sink.lastCommittedBatchId()).hasValue(0);
    assertThat(write(sink, 2, batch(3, 3)).outcome()).isEqualTo(Outcome.COMMITTED);
  }

  /**
   * Purpose: invalid rows are rejected with the column, count and first row, and nothing is
   * committed. Steps: a batch with NaNs in rows 3 and 7, then one with a null vector in row 2.
   * Pass: {@link InvalidBatchException} with column {@code vector}, 2 (then 1) bad rows and the
   * first row ordinal; version and rows unchanged.
   */
  @Test
  void invalidRowsAreRejectedAndNothingCommitted() {
    LanceSink sink = sink(table());
    write(sink, 0, batch(0, 3));
    long before = table().latestVersion().orElseThrow();
    assertThatThrownBy(() -> write(sink, 1, batch(10, 10).withNaN(3).withNaN(7)))
        .isInstanceOfSatisfying(InvalidBatchException.class, e -> {
          assertThat(e.column()).isEqualTo("vector");
          assertThat(e.badRows()).isEqualTo(2);
          assertThat(e.firstBadRow()).startsWith("#3");
          assertThat(e.getMessage()).contains("'vector'", "2 rows", "#3", "NaN");
        });
    assertThatThrownBy(() -> write(sink, 1, batch(10, 10).withNullVector(2)))
        .isInstanceOfSatisfying(InvalidBatchException.class, e -> {
          assertThat(e.badRows()).isEqualTo(1);
          assertThat(e.getMessage()).contains("'vector'", "1 row", "#2", "null");
        });
    assertThat(table()).hasLatestVersion(before).containsExactlyRowsOf(batch(0, 3))
        .hasNoBatchCommitted(WRITER, 1);
  }

  /**
   * Purpose: schema problems are configuration errors raised before anything is written. Steps:
   * a wrong-dimension batch on an absent table; then, after a commit, a batch lacking a column
   * and one with an extra column (strict schema). Pass: {@link ConfigurationException} naming
   * the dimension or column; the table stays absent, then its version is unchanged.
   */
  @Test
  void schemaProblemsFailBeforeAnythingIsWritten() {
    LanceSink sink = sink(table());
    assertThatThrownBy(() -> write(sink, 0, TestBatch.sequential(0, 3, dimension() + 1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("'vector'").hasMessageContaining("dimension " + (dimension() + 1));
    assertThat(table().latestVersion()).isEmpty();
    write(sink, 0, batch(0, 3));
    long before = table().latestVersion().orElseThrow();
    assertThatThrownBy(() -> write(sink, 1, batch(3, 3).withoutText()))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("text");
    assertThatThrownBy(() -> write(sink, 1, batch(3, 3).withExtraColumn("extra")))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("'extra'");
    assertThat(table()).hasLatestVersion(before).containsExactlyRowsOf(batch(0, 3));
  }

  /**
   * Purpose: the ledger walks past compaction versions to find its marker. Steps: commit
   * batches 0..2 with a small lookback, compact, replay batch 2 on a cold sink, write 3. Pass:
   * the replay is skipped, batch 3 commits, rows exact.
   */
  @Test
  void ledgerFindsMarkerAcrossCompaction() {
    assumeThat(supportsCompaction()).as("port supports compaction").isTrue();
    LanceSink sink = sink(table(), b -> b.lookback(5));
    for (int b = 0; b < 3; b++) {
      write(sink, b, batch(b * 4L, 4));
    }
    compact(table());
    LanceSink cold = sink(newHandle(), b -> b.lookback(5));
    assertThat(write(cold, 2, batch(8, 4)).outcome()).isEqualTo(Outcome.SKIPPED_DUPLICATE);
    assertThat(write(cold, 3, batch(12, 4)).outcome()).isEqualTo(Outcome.COMMITTED);
    assertThat(table()).containsExactlyRowsOf(batch(0, 16)).hasNoDuplicateKeys("id");
  }

  /**
   * Purpose: a marker removed by cleanup fails closed instead of re-writing. Steps: this writer
   * commits batch 0, another writer commits 3 batches, cleanup keeps 2 versions, a cold sink
   * writes batch 1. Pass: {@link LedgerException} mentioning cleanup; nothing written.
   */
  @Test
  void markerRemovedByCleanupFailsClosed() {
    assumeThat(supportsCleanup()).as("port supports cleanup").isTrue();
    write(sink(table()), 0, batch(0, 3));
    LanceSink other = sink(newHandle(), b -> b.writerId("other-writer"));
    for (int i = 0; i < 3; i++) {
      write(other, i, batch(100 + i * 3L, 3));
    }
    cleanup(table(), 2);
    long before = table().latestVersion().orElseThrow();
    LanceSink cold = sink(newHandle());
    assertThatThrownBy(() -> write(cold, 1, batch(3, 3)))
        .isInstanceOf(LedgerException.class).hasMessageContaining("cleanup");
    assertThat(table()).hasLatestVersion(before).hasRowCount(12);
  }

  /**
   * Purpose: writers racing. Two sinks with the SAME writer id racing on the same batch land
   * it exactly once; two different writer ids both land. Steps: see {@link ConcurrentRace}.
   * Pass: one copy of the same-id batch (the loser returns {@code SKIPPED_DUPLICATE} or throws
   * {@link LedgerException}); both different-id batches present.
   */
  @Test
  void racingWritersLandEachBatchExactlyOnce() throws Exception {
    assumeThat(supportsConcurrentWriters()).as("port supports concurrent writers").isTrue();
    ConcurrentRace.sameWriterSameBatch(this, 5);
    ConcurrentRace.differentWriters(this);
  }

  /** Exposes helpers to {@link ConcurrentRace}. */
  final LanceSink raceSink(String writerId, Faults faults) {
    return sink(new FaultInjectingTable(newHandle(), faults), b -> b.writerId(writerId));
  }

  final BatchResult raceWrite(LanceSink sink, long id, TestBatch b) {
    return write(sink, id, b);
  }

  final TestBatch raceBatch(long first, int n) {
    return batch(first, n);
  }

  final LanceTable raceTable() {
    return table();
  }
}
