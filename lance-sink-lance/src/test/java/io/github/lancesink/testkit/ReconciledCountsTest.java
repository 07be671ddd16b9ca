package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedRows.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keyed commit that landed but reported "state unknown", and that the ledger then found,
 * reports the rows it removed, like the same commit without a fault: the port records the
 * counts in the commit's own properties. On the fake and on real Lance (local files).
 */
class ReconciledCountsTest {
  @TempDir Path dir;

  @Test
  void onTheFake() throws Exception {
    compare(InMemoryLanceTable::create);
  }

  @Test
  void onRealLance() throws Exception {
    int[] n = {0};
    compare(() -> new NativeLanceTable(dir.resolve("t" + n[0]++ + ".lance").toString(),
        Map.of()));
  }

  /**
   * Purpose: true counts after a reconcile. Steps: on two tables, CDC batch 0 inserts ids
   * 0..9; batch 1 updates 2..4 and deletes 5, 6 and the absent 50, 51; on the second table
   * batch 1's commit lands and then throws state unknown. Pass: both report 5 deleted rows and
   * 2 absent deletes, the second after a reconcile that found the commit.
   */
  private void compare(java.util.function.Supplier<LanceTable> tables) throws Exception {
    BatchResult clean = run(tables.get(), false);
    BatchResult reconciled = run(tables.get(), true);
    assertThat(clean.deletedRows()).isEqualTo(5);
    assertThat(clean.absentDeletes()).isEqualTo(2);
    assertThat(reconciled.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
    assertThat(reconciled.deletedRows()).isEqualTo(clean.deletedRows());
    assertThat(reconciled.absentDeletes()).isEqualTo(clean.absentDeletes());
  }

  private BatchResult run(LanceTable table, boolean loseReply) throws Exception {
    Faults faults = new Faults();
    List<SinkEvent> events = new ArrayList<>();
    try (RootAllocator alloc = new RootAllocator();
        LanceSink sink = LanceSink.builder().table(new FaultInjectingTable(table, faults))
            .writerId("cdc").writeMode(WriteMode.cdc("id")).vectorColumn("vector", KeyedRows.DIM)
            .optimizePolicy(OptimizePolicy.never()).build()) {
      sink.events().onEvent(events::add);
      KeyedRows first = KeyedRows.cdc();
      for (long id = 0; id < 10; id++) {
        first.add(Row.change(id, 1, "insert", 1));
      }
      try (ArrowReader r = first.reader(alloc)) {
        sink.write(0, r);
      }
      KeyedRows second = KeyedRows.cdc();
      for (long id = 2; id <= 4; id++) {
        second.add(Row.change(id, 2, "update_postimage", 2));
      }
      for (long id : new long[] {5, 6, 50, 51}) {
        second.add(Row.change(id, 0, "delete", 2));
      }
      if (loseReply) {
        faults.commitThenThrowStateUnknown(1);
      }
      BatchResult r;
      try (ArrowReader reader = second.reader(alloc)) {
        r = sink.write(1, reader);
      }
      assertThat(events).filteredOn(e -> e instanceof SinkEvent.StateUnknownReconciled u
          && u.landed()).hasSize(loseReply ? 1 : 0);
      return r;
    } finally {
      table.close();
    }
  }
}
