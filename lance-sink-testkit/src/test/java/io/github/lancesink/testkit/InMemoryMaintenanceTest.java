package io.github.lancesink.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;

/** Consumers can run a sink with its optimize policy on against the in-memory table. */
class InMemoryMaintenanceTest {

  @Test
  void theOptimizePolicyRunsOnTheFakeAndItsFailuresNeverFailABatch() throws Exception {
    OptimizePolicy policy = OptimizePolicy.builder().mode(MaintenanceMode.INLINE)
        .everyCommits(2).compactionFanIn(2).indexMinRows(256).maxUnindexedRows(150)
        .retryBackoff(Duration.ZERO).build();
    List<SinkEvent.MaintenanceRan> ran = new ArrayList<>();
    try (RootAllocator alloc = new RootAllocator();
        InMemoryLanceTable table = InMemoryLanceTable.create().failNextMaintenance(1);
        LanceSink sink = LanceSink.builder().table(table).writerId("w").vectorColumn("vector", 8)
            .optimizePolicy(policy).build()) {
      sink.events().on(SinkEvent.MaintenanceRan.class, ran::add);
      for (long b = 0; b < 6; b++) {
        try (ArrowReader r = TestBatch.sequential(b * 100, 100, 8).reader(alloc)) {
          assertThat(sink.write(b, r).outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
        }
      }
      assertThat(ran).first().satisfies(e -> {
        assertThat(e.succeeded()).isFalse();
        assertThat(e.detail()).contains("injected maintenance failure");
      });
      assertThat(ran).extracting(SinkEvent.MaintenanceRan::action)
          .contains("compact", "build-index", "optimize-indices");
      assertThat(table.indices()).singleElement()
          .satisfies(i -> assertThat(i.column()).isEqualTo("vector"));
      // runs at batches 1 (compaction fails), 2 (its retry, then the index), 4 (refresh: 200
      // unindexed rows > maxUnindexedRows): only batch 5, committed after it, is unindexed
      assertThat(table.stats().unindexedRows()).isEqualTo(100);
      assertThat(table.rows()).hasSize(600);
      assertThat(sink.lastCommittedBatchId()).hasValue(5);
    }
  }
}
