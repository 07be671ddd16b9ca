package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The documented gap of two live writers sharing a writer id (docs/limitations.md): Lance 7.0.0
 * rebases an Append over a concurrent Append, so both commits land and the later one must be
 * reverted by its writer. If that writer dies between its commit and the revert, the duplicate
 * stays, and a restart does not remove it (the ledger shows the batch committed). These tests
 * pin that window down, on the fake and on real Lance, so the documentation stays true.
 */
class SameWriterCrashWindowTest {
  @TempDir Path dir;

  /** A view of {@code delegate} whose revertAppend "kills the process" instead of reverting. */
  static LanceTable dyingBeforeRevert(LanceTable delegate) {
    return (LanceTable) Proxy.newProxyInstance(LanceTable.class.getClassLoader(),
        new Class<?>[] {LanceTable.class}, (proxy, method, args) -> {
          if (method.getName().equals("revertAppend")) {
            throw new SimulatedCrash(CrashPoint.AFTER_COMMIT_BEFORE_RESULT);
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  @Test
  void onTheFakeTheDuplicateStaysWhenTheWriterDiesBeforeItsRevert() throws Exception {
    try (InMemoryLanceTable table = InMemoryLanceTable.create()) {
      showsTheWindow(table, () -> table);
    }
  }

  @Test
  void onRealLanceTheDuplicateStaysWhenTheWriterDiesBeforeItsRevert() throws Exception {
    String uri = dir.resolve("t.lance").toString();
    List<LanceTable> opened = new ArrayList<>();
    Supplier<LanceTable> open = () -> {
      LanceTable t = new NativeLanceTable(uri, Map.of());
      opened.add(t);
      return t;
    };
    try {
      showsTheWindow(open.get(), open);
    } finally {
      opened.forEach(LanceTable::close);
    }
  }

  /**
   * Purpose: prove the documented window. Steps: two sinks with one writer id, each on its own
   * table handle, race on batch 0 (held at a commit barrier); the one that must revert dies at
   * the revert instead; a new sink with that id replays batch 0. Pass: one writer reports
   * COMMITTED, the other died with SimulatedCrash; the table holds batch 0's three rows twice,
   * in two versions with a marker for batch 0; the restarted sink skips the replay as a
   * duplicate and the six rows remain.
   */
  private void showsTheWindow(LanceTable inspect, Supplier<LanceTable> handles) throws Exception {
    CyclicBarrier atCommit = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RootAllocator allocator = new RootAllocator()) {
      inspect.createIfAbsent(TestBatch.empty(4).schema());
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Faults faults = new Faults().beforeNextCommit(() -> {
          try {
            atCommit.await(60, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        LanceSink sink = LanceSink.builder()
            .table(new FaultInjectingTable(dyingBeforeRevert(handles.get()), faults))
            .writerId("same").vectorColumn("vector", 4)
            .optimizePolicy(OptimizePolicy.never()).build();
        results.add(pool.submit(() -> {
          try (ArrowReader r = TestBatch.sequential(0, 3, 4).open(allocator)) {
            return sink.write(0, r);
          } catch (SimulatedCrash e) {
            return e;
          }
        }));
      }
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : results) {
        outcomes.add(f.get(120, TimeUnit.SECONDS));
      }
      assertThat(outcomes).filteredOn(o -> o instanceof BatchResult r
          && r.outcome() == BatchResult.Outcome.COMMITTED).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o instanceof SimulatedCrash).hasSize(1);
      assertThat(TableRows.column(inspect, "id")).hasSize(6);
      assertThat(inspect).hasCommittedBatches("same", 0, 0);

      LanceSink restarted = LanceSink.builder().table(handles.get()).writerId("same")
          .vectorColumn("vector", 4).optimizePolicy(OptimizePolicy.never()).build();
      try (ArrowReader r = TestBatch.sequential(0, 3, 4).open(allocator)) {
        assertThat(restarted.write(0, r).outcome())
            .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
      }
      assertThat(TableRows.column(inspect, "id")).hasSize(6);
    } finally {
      pool.shutdownNow();
    }
  }
}
