package io.github.lancesink.testkit;

import static io.github.lancesink.testkit.LanceAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.LedgerException;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/**
 * A port whose {@code revertAppend} throws {@link UnsupportedOperationException} cannot undo a same-writer race:
 * the loser must then fail LOUDLY with a LedgerException instead of reporting success.
 */
class NoRevertPortTest {

  /** A view of {@code delegate} whose revertAppend throws, as a store that cannot revert. */
  static LanceTable withoutRevert(LanceTable delegate) {
    return (LanceTable) Proxy.newProxyInstance(LanceTable.class.getClassLoader(),
        new Class<?>[] {LanceTable.class}, (proxy, method, args) -> {
          if (method.getName().equals("revertAppend")) {
            throw new UnsupportedOperationException("this store cannot revert an append");
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /**
   * Purpose: the fallback when a duplicate cannot be reverted. Steps: two same-id sinks race on
   * batch 0 (held at a commit barrier) through a port without revert. Pass: one COMMITTED, the
   * other a LedgerException that says two writers share the id; the duplicate is visible to
   * the assertions (so an operator can see it).
   */
  @Test
  void sameWriterRaceWithoutRevertFailsLoudly() throws Exception {
    InMemoryLanceTable table = InMemoryLanceTable.create();
    CyclicBarrier atCommit = new CyclicBarrier(2);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (RootAllocator allocator = new RootAllocator()) {
      List<Future<Object>> results = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Faults faults = new Faults().beforeNextCommit(() -> {
          try {
            atCommit.await(30, TimeUnit.SECONDS);
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        });
        LanceSink sink = LanceSink.builder()
            .table(new FaultInjectingTable(withoutRevert(table), faults)).writerId("same")
            .vectorColumn("vector", 4).optimizePolicy(OptimizePolicy.never()).build();
        results.add(pool.submit(() -> {
          try (ArrowReader r = TestBatch.sequential(0, 3, 4).open(allocator)) {
            return sink.write(0, r);
          } catch (LedgerException e) {
            return e;
          }
        }));
      }
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : results) {
        outcomes.add(f.get(60, TimeUnit.SECONDS));
      }
      assertThat(outcomes).filteredOn(o -> o instanceof BatchResult).hasSize(1);
      assertThat(outcomes).filteredOn(o -> o instanceof LedgerException).singleElement()
          .satisfies(e -> assertThat(((LedgerException) e).getMessage())
              .contains("same writer id").contains("twice"));
      assertThat(TableRows.column(table, "id")).hasSize(6);
      assertThat(table).hasCommittedBatches("same", 0, 0);
    } finally {
      pool.shutdownNow();
      table.close();
    }
  }
}
