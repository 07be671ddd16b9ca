package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Path;
import java.util.List;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanceSinkSmokeTest {
  @TempDir Path dir;

  private LanceSink sink() {
    return LanceSink.builder()
        .tableUri(dir.resolve("t.lance").toString())
        .writerId("w1")
        .vectorColumn("vector", 8)
        .optimizePolicy(OptimizePolicy.never())
        .build();
  }

  @Test
  void commitsSkipsReplaysAndRecoversLedgerColdOnRealLance() throws Exception {
    try (RootAllocator alloc = new RootAllocator(); LanceSink sink = sink()) {
      for (long b = 0; b < 3; b++) {
        try (ArrowReader r = TestRows.reader(alloc, b * 10, 10, 8)) {
          BatchResult res = sink.write(b, r);
          assertThat(res.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
          assertThat(res.rows()).isEqualTo(10);
        }
      }
      try (ArrowReader r = TestRows.reader(alloc, 20, 10, 8)) {
        assertThat(sink.write(2, r).outcome()).isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
      }
      assertThat(sink.table().maintenance().orElseThrow().stats().rows()).isEqualTo(30);
    }
    try (RootAllocator alloc = new RootAllocator(); LanceSink cold = sink()) {
      assertThat(cold.lastCommittedBatchId()).hasValue(2);
      try (ArrowReader r = TestRows.reader(alloc, 20, 10, 8)) {
        assertThat(cold.write(2, r).outcome()).isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
      }
      try (ArrowReader r = TestRows.readerWithNan(alloc, 30, 10, 8, 4)) {
        assertThatThrownBy(() -> cold.write(3, r))
            .isInstanceOf(InvalidBatchException.class)
            .hasMessageContaining("'vector'")
            .hasMessageContaining("1 row")
            .hasMessageContaining("#4");
      }
      assertThat(cold.table().maintenance().orElseThrow().stats().rows()).isEqualTo(30);
      assertThat(cold.lastCommittedBatchId()).hasValue(2);
      long ids = 0;
      try (ArrowReader scan = cold.table().scan(java.util.OptionalLong.empty(), List.of("id"))) {
        while (scan.loadNextBatch()) {
          ids += scan.getVectorSchemaRoot().getRowCount();
        }
      }
      assertThat(ids).isEqualTo(30);
    }
  }
}
