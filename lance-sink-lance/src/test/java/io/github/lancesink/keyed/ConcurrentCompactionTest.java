package io.github.lancesink.keyed;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.testkit.FaultInjectingTable;
import io.github.lancesink.testkit.Faults;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedRows.Row;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.compaction.CompactionOptions;

/**
 * A compaction that lands between the key lookup's read version and the commit renumbers the
 * fragments the deletion vectors point at. The commit must be rejected as a conflict and the
 * deletions recomputed against the new version, never applied to the wrong rows.
 */
class ConcurrentCompactionTest {
  @TempDir Path dir;

  @Test
  void conflictWithCompactionRecomputesDeletions() throws Exception {
    String uri = dir.resolve("t.lance").toString();
    Map<Long, Long> model = new HashMap<>();
    try (RootAllocator alloc = new RootAllocator();
        FaultInjectingTable table =
            new FaultInjectingTable(new NativeLanceTable(uri, Map.of()), new Faults());
        LanceSink sink = LanceSink.builder().table(table).writerId("c")
            .writeMode(WriteMode.upsert("id")).vectorColumn("vector", KeyedRows.DIM)
            .optimizePolicy(OptimizePolicy.never()).sleeper(d -> { }).build()) {
      for (long b = 0; b < 4; b++) {
        KeyedRows batch = KeyedRows.upsert();
        for (long i = 0; i < 5; i++) {
          long id = b * 3 + i; // overlapping keys: deletion vectors in several fragments
          batch.add(Row.of(id, b * 100 + id));
          model.put(id, b * 100 + id);
        }
        try (ArrowReader r = batch.reader(alloc)) {
          sink.write(b, r);
        }
      }
      long fragmentsBefore = table.maintenance().orElseThrow().stats().fragments();
      table.faults().beforeNextCommit(() -> { // between the lookup's read version and the commit
        try (Dataset ds = Dataset.open().uri(uri).build()) {
          ds.compact(CompactionOptions.builder().withMaterializeDeletions(true)
              .withMaterializeDeletionsThreshold(0.0f).build());
        }
      });
      KeyedRows batch = KeyedRows.upsert().add(Row.of(0, 900)).add(Row.of(7, 907))
          .add(Row.of(11, 911)).add(Row.of(30, 930));
      model.put(0L, 900L);
      model.put(7L, 907L);
      model.put(11L, 911L);
      model.put(30L, 930L);
      BatchResult r;
      try (ArrowReader reader = batch.reader(alloc)) {
        r = sink.write(4, reader);
      }
      assertThat(fragmentsBefore).isGreaterThan(2);
      assertThat(r.attempts()).as("the stale Update must conflict and be retried")
          .isGreaterThanOrEqualTo(2);
      assertThat(r.deletedRows()).isEqualTo(3);
      assertThat(KeyedRows.read(table, OptionalLong.empty())).isEqualTo(model);
    }
  }
}
