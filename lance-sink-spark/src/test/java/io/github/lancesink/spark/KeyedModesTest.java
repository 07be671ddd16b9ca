package io.github.lancesink.spark;

import static io.github.lancesink.spark.TestSpark.causeOf;
import static io.github.lancesink.spark.TestSpark.lanceRowCount;
import static io.github.lancesink.spark.TestSpark.lanceState;
import static io.github.lancesink.spark.TestSpark.lanceVersion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.BatchResult;
import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.lance.NativeLanceTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upsert and replaceGroups through {@link LanceForeachBatch}, on real Spark local[2] and real
 * Lance: the same semantics as the core's keyed modes (UpsertAndCdcTest, ReplaceGroupsTest,
 * KeyedBadInputTest). Batches are static DataFrames handed to {@code call(df, batchId)}, as
 * Spark's foreachBatch does.
 */
class KeyedModesTest {
  static final int DIM = 4;
  static final StructType SEQ_SCHEMA = new StructType().add("id", DataTypes.LongType)
      .add("name", DataTypes.StringType)
      .add("vector", DataTypes.createArrayType(DataTypes.FloatType))
      .add("seq", DataTypes.LongType);

  @TempDir Path dir;
  final List<BatchResult.Outcome> outcomes = new ArrayList<>();

  String lance() {
    return dir.resolve("items.lance").toString();
  }

  LanceForeachBatch fn(WriteMode mode) {
    return LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri(lance())
            .writerId("keyed")
            .writeMode(mode)
            .vectorColumn("vector", DIM)
            .build())
        .listener(r -> outcomes.add(r.result().outcome())).build();
  }

  /** Rows [from, to) named prefix-id with a vector derived from id and offset, 2 partitions. */
  static Dataset<Row> rows(long from, long to, String prefix, int offset, String group) {
    return TestSpark.session().range(from, to).selectExpr("id",
        "concat('" + prefix + "-', id) AS name",
        "transform(sequence(0, " + (DIM - 1) + "), i -> CAST(id + " + offset + " + i AS FLOAT))"
            + " AS vector", group + " AS grp").repartition(2);
  }

  static Dataset<Row> rows(long from, long to, String prefix, int offset) {
    return rows(from, to, prefix, offset, "CAST(NULL AS STRING)").drop("grp");
  }

  static void expect(Map<Long, List<Object>> m, long from, long to, String prefix, int offset) {
    for (long id = from; id < to; id++) {
      List<Float> v = new ArrayList<>();
      for (int i = 0; i < DIM; i++) {
        v.add((float) (id + offset + i));
      }
      m.put(id, List.of(prefix + "-" + id, v));
    }
  }

  /**
   * Purpose: upsert inserts new keys, replaces existing ones and a replayed batch id changes
   * nothing. Steps: batch 0 writes ids 0..9, batch 1 ids 5..14 with new names and vectors,
   * then batch 1 again with other content. Pass: Lance holds exactly ids 0..4 of batch 0 and
   * 5..14 of batch 1 (names and vectors, no duplicate id); the replay is SKIPPED_DUPLICATE.
   * (Versions are not compared: background maintenance may compact after batch 1.)
   */
  @Test
  void upsertInsertsReplacesAndSkipsReplays() throws Exception {
    try (LanceForeachBatch fn = fn(WriteMode.upsert("id"))) {
      fn.call(rows(0, 10, "a", 0), 0L);
      fn.call(rows(5, 15, "b", 100), 1L);
      fn.call(rows(0, 3, "c", 7), 1L);
    }
    Map<Long, List<Object>> expected = new TreeMap<>();
    expect(expected, 0, 5, "a", 0);
    expect(expected, 5, 15, "b", 100);
    assertThat(lanceState(lance())).isEqualTo(expected);
    assertThat(lanceRowCount(lance())).isEqualTo(15);
    assertThat(outcomes).containsExactly(BatchResult.Outcome.COMMITTED,
        BatchResult.Outcome.COMMITTED, BatchResult.Outcome.SKIPPED_DUPLICATE);
  }

  /**
   * Purpose: duplicate keys without a sequence column reject the batch, found on the cluster.
   * Steps: a good batch, then ids 0..9 plus extra rows for ids 3, 7 and 7. Pass:
   * InvalidBatchException naming the key column, 3 rows and the first duplicated key id=3;
   * the Lance version and rows are those of the good batch.
   */
  @Test
  void duplicateKeysWithoutSequenceAreRejected() throws Exception {
    try (LanceForeachBatch fn = fn(WriteMode.upsert("id"))) {
      fn.call(rows(0, 5, "a", 0), 0L);
      long version = lanceVersion(lance());
      Dataset<Row> bad = rows(0, 10, "b", 1).union(rows(3, 4, "c", 2))
          .union(rows(7, 8, "c", 2)).union(rows(7, 8, "d", 3));
      assertThatThrownBy(() -> fn.call(bad, 1L)).satisfies(e -> {
        InvalidBatchException ib = causeOf(e, InvalidBatchException.class);
        assertThat(ib).as("cause chain of %s", e).isNotNull();
        assertThat(ib.column()).isEqualTo("id");
        assertThat(ib.badRows()).isEqualTo(3);
        assertThat(ib.firstBadRow()).isEqualTo("id=3");
        assertThat(ib.getMessage()).contains("holds duplicate keys", "withSequenceColumn",
            "in 3 rows", "Nothing was committed");
      });
      assertThat(lanceVersion(lance())).isEqualTo(version);
    }
    Map<Long, List<Object>> expected = new TreeMap<>();
    expect(expected, 0, 5, "a", 0);
    assertThat(lanceState(lance())).isEqualTo(expected);
  }

  /**
   * Purpose: with a sequence column the largest value wins per key; on a tie the later row of
   * the DataFrame wins (as in the core). Pass: id 1 keeps seq 9 of three rows, id 2 (tie on
   * seq 3) keeps the later row, id 3 is stored once; a null sequence value or a null key
   * rejects the batch naming the column and count, and commits nothing.
   */
  @Test
  void sequenceColumnPicksTheLargestAndNullsAreRejected() throws Exception {
    List<Float> v = List.of(1f, 2f, 3f, 4f);
    List<Row> rows = List.of(
        RowFactory.create(1L, "x", v, 5L), RowFactory.create(1L, "y", v, 9L),
        RowFactory.create(1L, "z", v, 7L), RowFactory.create(2L, "p", v, 3L),
        RowFactory.create(2L, "q", v, 3L), RowFactory.create(3L, "r", v, 1L));
    try (LanceForeachBatch fn = fn(WriteMode.upsert("id").withSequenceColumn("seq"))) {
      fn.call(TestSpark.session().createDataFrame(rows, SEQ_SCHEMA).coalesce(1), 0L);
      long version = lanceVersion(lance());

      List<Row> nullSeq = List.of(RowFactory.create(4L, "s", v, null),
          RowFactory.create(5L, "t", v, 2L));
      assertThatThrownBy(() -> fn.call(TestSpark.session().createDataFrame(nullSeq, SEQ_SCHEMA),
          1L)).satisfies(e -> {
            InvalidBatchException ib = causeOf(e, InvalidBatchException.class);
            assertThat(ib).as("cause chain of %s", e).isNotNull();
            assertThat(ib.column()).isEqualTo("seq");
            assertThat(ib.badRows()).isEqualTo(1);
          });
      List<Row> nullKey = List.of(RowFactory.create(null, "s", v, 1L),
          RowFactory.create(6L, "t", v, 2L), RowFactory.create(null, "u", v, 1L));
      assertThatThrownBy(() -> fn.call(TestSpark.session().createDataFrame(nullKey, SEQ_SCHEMA),
          1L)).satisfies(e -> {
            InvalidBatchException ib = causeOf(e, InvalidBatchException.class);
            assertThat(ib).as("cause chain of %s", e).isNotNull();
            assertThat(ib.column()).isEqualTo("id");
            assertThat(ib.badRows()).isEqualTo(2);
            assertThat(ib.getMessage()).contains("is a key column and must not be null");
          });
      assertThat(lanceVersion(lance())).isEqualTo(version);
    }
    Map<Long, List<Object>> state = lanceState(lance());
    assertThat(state).containsOnlyKeys(1L, 2L, 3L);
    assertThat(state.get(1L).get(0)).isEqualTo("y");
    assertThat(state.get(2L).get(0)).isEqualTo("q");
    assertThat(state.get(3L).get(0)).isEqualTo("r");
  }

  /**
   * Purpose: replaceGroups replaces whole groups atomically. Steps: batch 0 writes groups g1
   * (ids 0..4), g2 (5..9), g3 (10..14); batch 1 writes g2 as ids 20..22 and a new g4 (30..31)
   * in two partitions. Pass: the final rows are g1, g3 untouched, g2 = 20..22, g4 = 30..31;
   * reading every Lance version shows each group either wholly old or wholly new, never mixed.
   */
  @Test
  void replaceGroupsReplacesWholeGroupsAtomically() throws Exception {
    try (LanceForeachBatch fn = fn(WriteMode.replaceGroups("grp"))) {
      fn.call(rows(0, 15, "a", 0, "concat('g', CAST(id DIV 5 + 1 AS STRING))"), 0L);
      fn.call(rows(20, 23, "b", 50, "'g2'").union(rows(30, 32, "b", 50, "'g4'")), 1L);
    }
    Map<Long, List<Object>> expected = new TreeMap<>();
    expect(expected, 0, 5, "a", 0);
    expect(expected, 10, 15, "a", 0);
    expect(expected, 20, 23, "b", 50);
    expect(expected, 30, 32, "b", 50);
    assertThat(lanceState(lance())).isEqualTo(expected);

    Set<Set<Long>> allowedG2 = Set.of(Set.of(5L, 6L, 7L, 8L, 9L), Set.of(20L, 21L, 22L));
    try (NativeLanceTable t = new NativeLanceTable(lance(), Map.of())) {
      long latest = t.latestVersion().orElseThrow();
      int sawG2 = 0;
      for (long v = t.earliestVersion().orElseThrow(); v <= latest; v++) {
        Map<String, Set<Long>> groups = groups(t, v);
        if (groups.containsKey("g2")) {
          assertThat(allowedG2).as("group g2 at version %d", v).contains(groups.get("g2"));
          sawG2++;
        }
        if (groups.containsKey("g4")) {
          assertThat(groups.get("g4")).as("g4 at version %d", v).containsExactly(30L, 31L);
          assertThat(groups.get("g2")).as("g2 with g4 at version %d", v)
              .containsExactly(20L, 21L, 22L);
        }
      }
      assertThat(sawG2).isGreaterThanOrEqualTo(2);
    }
  }

  private static Map<String, Set<Long>> groups(NativeLanceTable t, long version)
      throws Exception {
    Map<String, Set<Long>> out = new TreeMap<>();
    try (ArrowReader r = t.scan(OptionalLong.of(version), List.of("id", "grp"))) {
      while (r.loadNextBatch()) {
        VectorSchemaRoot root = r.getVectorSchemaRoot();
        for (int i = 0; i < root.getRowCount(); i++) {
          out.computeIfAbsent(String.valueOf(root.getVector("grp").getObject(i)),
              k -> new TreeSet<>()).add((Long) root.getVector("id").getObject(i));
        }
      }
    }
    return out;
  }

  /**
   * Purpose: a null group value rejects the batch before anything is written. Pass:
   * InvalidBatchException on 'grp' with the count 2 and the group rule; nothing committed.
   */
  @Test
  void nullGroupIsRejected() throws Exception {
    try (LanceForeachBatch fn = fn(WriteMode.replaceGroups("grp"))) {
      fn.call(rows(0, 4, "a", 0, "'g1'"), 0L);
      long version = lanceVersion(lance());
      Dataset<Row> bad = rows(0, 10, "b", 0, "CASE WHEN id IN (3, 8) THEN NULL ELSE 'g1' END");
      assertThatThrownBy(() -> fn.call(bad, 1L)).satisfies(e -> {
        InvalidBatchException ib = causeOf(e, InvalidBatchException.class);
        assertThat(ib).as("cause chain of %s", e).isNotNull();
        assertThat(ib.column()).isEqualTo("grp");
        assertThat(ib.badRows()).isEqualTo(2);
        assertThat(ib.getMessage()).contains("is a group column and must not be null",
            "Nothing was committed");
      });
      assertThat(lanceVersion(lance())).isEqualTo(version);
    }
    assertThat(lanceRowCount(lance())).isEqualTo(4);
  }
}
