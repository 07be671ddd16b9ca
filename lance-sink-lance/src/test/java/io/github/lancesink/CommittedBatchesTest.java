package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.BatchSource;
import io.github.lancesink.spi.LanceTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Purpose: the API engines use to keep progress in the table. {@code LanceSink.source(reader)}
 * is the source {@code write} builds, so an engine can wrap it to add source properties; {@code
 * readCommittedBatches} reads this writer's commits back with them. Steps: two writers share a
 * real Lance table; writer A commits batches 0..2 through a wrapped source tagged "part=N",
 * writer B one batch in between. Pass: A reads its three commits newest first with their
 * properties (prefix removed) and versions, never B's; a visitor returning false stops the walk.
 */
class CommittedBatchesTest {
  @TempDir Path dir;

  private LanceSink sink(String writer) {
    return LanceSink.builder().tableUri(dir.resolve("t.lance").toString()).writerId(writer)
        .vectorColumn("vector", 4).optimizePolicy(OptimizePolicy.never()).build();
  }

  @Test
  void sourcePropertiesAreReadBackNewestFirstForThisWriterOnly() throws Exception {
    try (RootAllocator alloc = new RootAllocator();
        LanceSink a = sink("a");
        LanceSink b = sink("b")) {
      for (long id = 0; id < 3; id++) {
        try (ArrowReader r = TestRows.reader(alloc, id * 10, 5, 4)) {
          assertThat(a.write(id, "q", tagged(a.source(r), Map.of("part", "p" + id))).committed())
              .isTrue();
        }
        if (id == 1) {
          try (ArrowReader r = TestRows.reader(alloc, 100, 2, 4)) {
            b.write(0, r);
          }
        }
      }
      List<CommittedBatch> seen = new ArrayList<>();
      int read = a.readCommittedBatches(seen::add);
      assertThat(seen).extracting(CommittedBatch::batchId).containsExactly(2L, 1L, 0L);
      assertThat(seen).extracting(c -> c.sourceProperties().get("part"))
          .containsExactly("p2", "p1", "p0");
      assertThat(seen).extracting(CommittedBatch::lineage).containsOnly("q");
      assertThat(seen.get(0).version()).isGreaterThan(seen.get(1).version());
      assertThat(read).isGreaterThanOrEqualTo(4);

      List<Long> first = new ArrayList<>();
      a.readCommittedBatches(c -> first.add(c.batchId()) && false);
      assertThat(first).containsExactly(2L);
    }
  }

  private static BatchSource tagged(BatchSource inner, Map<String, String> tags) {
    return new BatchSource() {
      @Override
      public Schema schema() {
        return inner.schema();
      }

      @Override
      public Staged stage(LanceTable table, long batchId) {
        return inner.stage(table, batchId);
      }

      @Override
      public Map<String, String> commitProperties() {
        return tags;
      }
    };
  }
}
