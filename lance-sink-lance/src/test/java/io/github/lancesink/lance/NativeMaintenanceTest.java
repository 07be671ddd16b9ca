package io.github.lancesink.lance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.TestRows;
import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.spi.TableStats;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real adapter's maintenance methods on real Lance, and what each does to the table. */
class NativeMaintenanceTest {
  @TempDir Path dir;

  @Test
  void compactsIndexesRefreshesMergesAndCleansUpWithoutTouchingMarkers() throws Exception {
    try (RootAllocator alloc = new RootAllocator();
        LanceSink sink = LanceSink.builder().tableUri(dir.resolve("t.lance").toString())
            .writerId("w").vectorColumn("vector", 16).optimizePolicy(OptimizePolicy.never())
            .build()) {
      for (long b = 0; b < 12; b++) {
        try (ArrowReader r = TestRows.reader(alloc, b * 500, 500, 16)) {
          assertThat(sink.write(b, r).outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
        }
      }
      LanceTable t = sink.table();
      TableStats before = t.maintenance().orElseThrow().stats();
      assertThat(before.fragments()).isEqualTo(12);
      assertThat(before.unindexedRows()).isEqualTo(6000);
      assertThat(before.indexDeltas()).isZero();
      assertThat(t.maintenance().orElseThrow().indices()).isEmpty();

      long v0 = t.latestVersion().orElseThrow();
      t.maintenance().orElseThrow().compact(1_000_000, 0.1);
      TableStats compacted = t.maintenance().orElseThrow().stats();
      assertThat(compacted.fragments()).isEqualTo(1);
      assertThat(compacted.rows()).isEqualTo(6000);
      assertThat(compacted.version() - v0).isBetween(1L, 2L);

      long v1 = compacted.version();
      t.maintenance().orElseThrow().createIndex(new IndexSpec("vector", "vector_idx", IndexState.Kind.VECTOR,
          VectorIndexType.IVF_PQ, 8, 2, DistanceMetric.L2));
      t.maintenance().orElseThrow().createIndex(IndexSpec.scalar("id", "id_idx"));
      assertThat(t.latestVersion().orElseThrow() - v1).isEqualTo(2);
      List<IndexState> idx = t.maintenance().orElseThrow().indices();
      assertThat(idx).extracting(IndexState::name, IndexState::column, IndexState::kind)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("vector_idx", "vector", IndexState.Kind.VECTOR),
              org.assertj.core.groups.Tuple.tuple("id_idx", "id", IndexState.Kind.SCALAR));
      assertThat(t.maintenance().orElseThrow().stats().unindexedRows()).isZero();

      for (long b = 12; b < 14; b++) {
        try (ArrowReader r = TestRows.reader(alloc, b * 500, 500, 16)) {
          sink.write(b, r);
        }
        assertThat(t.maintenance().orElseThrow().stats().unindexedRows()).isEqualTo(500);
        t.maintenance().orElseThrow().optimizeIndices(0);
        assertThat(t.maintenance().orElseThrow().stats().unindexedRows()).isZero();
      }
      assertThat(t.maintenance().orElseThrow().stats().indexDeltas()).isEqualTo(2);
      t.maintenance().orElseThrow().optimizeIndices(3);
      assertThat(t.maintenance().orElseThrow().stats().indexDeltas()).isZero();

      TableStats s = t.maintenance().orElseThrow().stats();
      long removed = t.maintenance().orElseThrow().cleanupVersions(s.version() - 2);
      assertThat(removed).isPositive();
      assertThat(t.earliestVersion()).hasValue(s.version() - 2);
      assertThat(t.maintenance().orElseThrow().stats().rows()).isEqualTo(7000);
      assertThat(sink.lastCommittedBatchId()).hasValue(13);
    }
  }
}
