package io.github.lancesink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An append reader's first batch is written through Lance's single-batch path and the rest as
 * one stream. These pin that every batch of a multi-batch reader lands exactly once, in order,
 * and that an invalid later batch still leaves nothing committed.
 */
class MultiBatchAppendTest {
  @TempDir Path dir;

  private LanceSink sink() {
    return LanceSink.builder().tableUri(dir.resolve("t.lance").toString()).writerId("w1")
        .vectorColumn("vector", 8).optimizePolicy(OptimizePolicy.never()).build();
  }

  private static List<Consumer<VectorSchemaRoot>> fillers(int batches, int rows, int nanBatch) {
    List<Consumer<VectorSchemaRoot>> f = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      int from = b * rows;
      int nan = b == nanBatch ? 3 : -1;
      f.add(root -> TestRows.fill(root, from, rows, 8, nan));
    }
    return f;
  }

  private static List<Long> ids(LanceSink sink) throws Exception {
    List<Long> ids = new ArrayList<>();
    try (ArrowReader scan = sink.table().scan(OptionalLong.empty(), List.of("id"))) {
      while (scan.loadNextBatch()) {
        BigIntVector v = (BigIntVector) scan.getVectorSchemaRoot().getVector("id");
        for (int i = 0; i < v.getValueCount(); i++) {
          ids.add(v.get(i));
        }
      }
    }
    return ids;
  }

  /**
   * Purpose: all batches of one reader land once. Steps: write a 1-batch and then a 4-batch
   * reader (7 rows each batch). Pass: rows reported and stored are 7 and 35, ids in order with
   * no gap or duplicate, one version per write.
   */
  @Test
  void everyBatchOfAMultiBatchReaderLandsOnce() throws Exception {
    try (RootAllocator alloc = new RootAllocator(); LanceSink sink = sink()) {
      try (ArrowReader r = TestRows.batches(alloc, TestRows.schema(8), fillers(1, 7, -1))) {
        assertThat(sink.write(0, r).rows()).isEqualTo(7);
      }
      long before = sink.table().latestVersion().getAsLong();
      List<Consumer<VectorSchemaRoot>> four = fillers(5, 7, -1).subList(1, 5);
      try (ArrowReader r = TestRows.batches(alloc, TestRows.schema(8), four)) {
        BatchResult res = sink.write(1, r);
        assertThat(res.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
        assertThat(res.rows()).isEqualTo(28);
        assertThat(res.version()).hasValue(before + 1);
      }
      List<Long> expected = new ArrayList<>();
      for (long i = 0; i < 35; i++) {
        expected.add(i);
      }
      assertThat(ids(sink)).containsExactlyElementsOf(expected);
    }
  }

  /**
   * Purpose: a bad row after the first batch (already written as fragments) still commits
   * nothing. Steps: a 3-batch reader whose third batch has a NaN. Pass: InvalidBatchException
   * naming the column and the row; version and rows unchanged.
   */
  @Test
  void anInvalidLaterBatchCommitsNothing() throws Exception {
    try (RootAllocator alloc = new RootAllocator(); LanceSink sink = sink()) {
      try (ArrowReader r = TestRows.batches(alloc, TestRows.schema(8), fillers(1, 7, -1))) {
        sink.write(0, r);
      }
      long before = sink.table().latestVersion().getAsLong();
      try (ArrowReader r = TestRows.batches(alloc, TestRows.schema(8), fillers(3, 7, 2))) {
        assertThatThrownBy(() -> sink.write(1, r))
            .isInstanceOf(InvalidBatchException.class)
            .hasMessageContaining("'vector'")
            .hasMessageContaining("#17");
      }
      assertThat(sink.table().latestVersion()).hasValue(before);
      assertThat(ids(sink)).hasSize(7);
      assertThat(sink.lastCommittedBatchId()).hasValue(0);
    }
  }
}
