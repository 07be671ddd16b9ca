package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.BatchResult.Outcome;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LedgerException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The racing-writer scenarios of {@link LanceTableContract}. */
final class ConcurrentRace {
  private ConcurrentRace() {}

  /**
   * For each round r: two NEW sinks with the same writer id (cold ledgers, separate handles)
   * write batch r with identical rows. A barrier inside the port holds both right before their
   * first commit, so both have checked the ledger and both commit on a stale read version:
   * Lance rebases the second Append over the first. Exactly one copy must remain.
   */
  static void sameWriterSameBatch(LanceTableContract c, int rounds) throws Exception {
    String writer = "race-writer";
    List<Long> expectedIds = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int r = 0; r < rounds; r++) {
        TestBatch b = c.raceBatch(r * 100L, 6);
        expectedIds.addAll(b.ids());
        CyclicBarrier atCommit = new CyclicBarrier(2);
        List<Future<Object>> results = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
          Faults faults = new Faults().beforeNextCommit(() -> await(atCommit));
          LanceSink sink = c.raceSink(writer, faults);
          long batchId = r;
          results.add(pool.submit(() -> {
            try {
              return c.raceWrite(sink, batchId, b);
            } catch (LedgerException e) {
              return e;
            }
          }));
        }
        int committed = 0;
        for (Future<Object> f : results) {
          Object o = f.get(120, TimeUnit.SECONDS);
          if (o instanceof BatchResult res) {
            assertThat(res.outcome()).isIn(Outcome.COMMITTED, Outcome.SKIPPED_DUPLICATE);
            committed += res.outcome() == Outcome.COMMITTED ? 1 : 0;
          } else {
            assertThat(o).isInstanceOf(LedgerException.class);
          }
        }
        assertThat(committed).as("round %s: commits reported", r).isEqualTo(1);
        assertThat(c.raceTable()).hasBatchCommittedOnce(writer, r);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(c.raceTable()).containsExactlyRowsById(expectedIds).hasNoDuplicateKeys("id");
  }

  /** Two writer ids commit three batches each concurrently; every batch lands once. */
  static void differentWriters(LanceTableContract c) throws Exception {
    List<Long> before = TableRows.column(c.raceTable(), "id").stream()
        .map(o -> ((Number) o).longValue()).toList();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      CyclicBarrier start = new CyclicBarrier(2);
      for (String writer : List.of("writer-a", "writer-b")) {
        long base = writer.endsWith("a") ? 10_000 : 20_000;
        LanceSink sink = c.raceSink(writer, new Faults());
        done.add(pool.submit(() -> {
          await(start);
          for (int i = 0; i < 3; i++) {
            BatchResult res = c.raceWrite(sink, i, c.raceBatch(base + i * 10L, 5));
            assertThat(res.outcome()).isEqualTo(Outcome.COMMITTED);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(120, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    List<Long> expected = new ArrayList<>(before);
    for (long base : new long[] {10_000, 20_000}) {
      for (int i = 0; i < 3; i++) {
        expected.addAll(c.raceBatch(base + i * 10L, 5).ids());
      }
    }
    assertThat(c.raceTable()).containsExactlyRowsById(expected)
        .hasCommittedBatches("writer-a", 0, 1, 2).hasCommittedBatches("writer-b", 0, 1, 2);
  }

  private static void await(CyclicBarrier barrier) {
    try {
      barrier.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (BrokenBarrierException | TimeoutException e) {
      throw new IllegalStateException("racing writers did not meet at the commit barrier", e);
    }
  }
}
