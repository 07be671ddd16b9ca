package io.github.lancesink.keyed;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.WriteMode;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedRows.Row;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;

/** Upsert and change-feed semantics on real Lance. */
class UpsertAndCdcTest {
  @TempDir Path dir;
  private final RootAllocator alloc = new RootAllocator();

  @AfterEach
  void close() {
    alloc.close();
  }

  private LanceSink sink(WriteMode mode) {
    return LanceSink.builder()
        .tableUri(dir.resolve("t.lance").toString())
        .writerId("w")
        .writeMode(mode)
        .vectorColumn("vector", KeyedRows.DIM)
        .optimizePolicy(OptimizePolicy.never())
        .build();
  }

  private static BatchResult write(LanceSink sink, long batchId, KeyedRows b, RootAllocator a)
      throws Exception {
    try (ArrowReader r = b.reader(a)) {
      return sink.write(batchId, r);
    }
  }

  /**
   * Upsert replaces matching keys and inserts new ones, in one version per batch; a replay is
   * skipped; the key index exists afterwards.
   */
  @Test
  void upsertReplacesMatchingKeysAndInsertsNewOnes() throws Exception {
    try (LanceSink sink = sink(WriteMode.upsert("id"))) {
      List<Row> first = new ArrayList<>();
      for (long i = 0; i < 50; i++) {
        first.add(Row.of(i, 100 + i));
      }
      BatchResult r0 = write(sink, 0, KeyedRows.upsert().add(first).chunked(7), alloc);
      assertThat(r0.deletedRows()).isZero();
      KeyedRows second = KeyedRows.upsert().add(Row.of(3, 903)).add(Row.of(49, 949))
          .add(Row.of(50, 950));
      BatchResult r1 = write(sink, 1, second, alloc);
      assertThat(r1.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(r1.version().getAsLong()).isGreaterThan(r0.version().getAsLong());
      assertThat(r1.deletedRows()).isEqualTo(2);
      assertThat(r1.rows()).isEqualTo(3);
      Map<Long, Long> rows = KeyedRows.read(sink.table(), OptionalLong.empty());
      assertThat(rows).hasSize(51).containsEntry(3L, 903L).containsEntry(49L, 949L)
          .containsEntry(50L, 950L).containsEntry(4L, 104L);
      assertThat(write(sink, 1, second, alloc).outcome())
          .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
      assertThat(KeyedRows.read(sink.table(), OptionalLong.empty())).isEqualTo(rows);
      try (Dataset ds = Dataset.open().uri(dir.resolve("t.lance").toString()).build()) {
        assertThat(ds.listIndexes()).contains("lance_sink_key_id");
      }
    }
  }

  /** With a sequence column, the largest sequence value of a key wins inside one batch. */
  @Test
  void sequenceColumnKeepsTheLargestDuplicate() throws Exception {
    try (LanceSink sink = sink(WriteMode.upsert("id").withSequenceColumn("seq"))) {
      KeyedRows b = KeyedRows.upsert().withSeq()
          .add(new Row(1L, "g", 10, null, null, 5L))
          .add(new Row(1L, "g", 11, null, null, 9L))
          .add(new Row(1L, "g", 12, null, null, 7L))
          .add(new Row(2L, "g", 20, null, null, 1L))
          .chunked(2);
      write(sink, 0, b, alloc);
      assertThat(KeyedRows.read(sink.table(), OptionalLong.empty()))
          .containsExactlyInAnyOrderEntriesOf(Map.of(1L, 11L, 2L, 20L));
      assertThat(sink.table().schema().orElseThrow().findField("seq")).isNotNull();
    }
  }

  /**
   * CDC: pre-images are dropped, several changes per key collapse to the last by commit version
   * then by order, deletes remove stored rows, absent deletes are counted, and the change
   * columns are not stored (also when the first CDC batch creates the table).
   */
  @Test
  void cdcCollapsesAppliesDeletesAndConsumesChangeColumns() throws Exception {
    try (LanceSink sink = sink(WriteMode.cdc("id"))) {
      KeyedRows first = KeyedRows.cdc()
          .add(Row.change(1, 10, "insert", 1))
          .add(Row.change(2, 20, "insert", 1))
          .add(Row.change(3, 30, "insert", 1))
          .add(Row.change(4, 40, "insert", 1));
      write(sink, 0, first, alloc);
      assertThat(sink.table().schema().orElseThrow().getFields())
          .extracting(f -> f.getName()).containsExactly("id", "grp", "val", "vector");
      KeyedRows second = KeyedRows.cdc()
          // key 1: a later commit version arrives first in the batch; it must still win
          .add(Row.change(1, 12, "update_preimage", 3))
          .add(Row.change(1, 13, "update_postimage", 3))
          .add(Row.change(1, 10, "update_preimage", 2))
          .add(Row.change(1, 11, "update_postimage", 2))
          // key 2: deleted
          .add(Row.change(2, 20, "delete", 2))
          // key 3: deleted then re-inserted in the same commit version: change order decides
          .add(Row.change(3, 30, "delete", 4))
          .add(Row.change(3, 31, "insert", 4))
          // key 5: inserted then deleted
          .add(Row.change(5, 50, "insert", 2))
          .add(Row.change(5, 50, "delete", 3))
          // key 9: delete of a key that was never stored
          .add(Row.change(9, 90, "delete", 2))
          .chunked(3);
      BatchResult r = write(sink, 1, second, alloc);
      assertThat(r.rows()).isEqualTo(10);
      assertThat(r.deletedRows()).isEqualTo(3); // keys 1, 2, 3
      assertThat(r.absentDeletes()).isEqualTo(2); // keys 5 and 9
      assertThat(KeyedRows.read(sink.table(), OptionalLong.empty()))
          .containsExactlyInAnyOrderEntriesOf(Map.of(1L, 13L, 3L, 31L, 4L, 40L));
    }
  }

  /** A change feed of only deletes still commits its marker, so a replay is skipped. */
  @Test
  void cdcBatchOfOnlyDeletesCommitsTheMarker() throws Exception {
    try (LanceSink sink = sink(WriteMode.cdc("id"))) {
      write(sink, 0, KeyedRows.cdc().add(Row.change(1, 10, "insert", 1))
          .add(Row.change(2, 20, "insert", 1)), alloc);
      KeyedRows deletes = KeyedRows.cdc().add(Row.change(1, 10, "delete", 2))
          .add(Row.change(7, 70, "delete", 2));
      BatchResult r = write(sink, 1, deletes, alloc);
      assertThat(r.outcome()).isEqualTo(BatchResult.Outcome.COMMITTED);
      assertThat(r.deletedRows()).isEqualTo(1);
      assertThat(r.absentDeletes()).isEqualTo(1);
      assertThat(sink.lastCommittedBatchId()).hasValue(1);
      assertThat(KeyedRows.read(sink.table(), OptionalLong.empty()))
          .containsExactlyInAnyOrderEntriesOf(Map.of(2L, 20L));
      assertThat(write(sink, 1, deletes, alloc).outcome())
          .isEqualTo(BatchResult.Outcome.SKIPPED_DUPLICATE);
    }
  }
}
