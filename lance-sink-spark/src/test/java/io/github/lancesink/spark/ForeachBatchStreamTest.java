package io.github.lancesink.spark;

import static io.github.lancesink.spark.TestSpark.append;
import static io.github.lancesink.spark.TestSpark.causeOf;
import static io.github.lancesink.spark.TestSpark.createDelta;
import static io.github.lancesink.spark.TestSpark.deltaState;
import static io.github.lancesink.spark.TestSpark.lanceRowCount;
import static io.github.lancesink.spark.TestSpark.lanceState;
import static io.github.lancesink.spark.TestSpark.lanceVersion;
import static io.github.lancesink.spark.TestSpark.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.LedgerException;
import io.github.lancesink.WriteMode;
import io.github.lancesink.lance.NativeLanceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real Spark local[2] streams from a real Delta change feed into a real Lance table through
 * {@link LanceForeachBatch}: CDC mode on a feed with updates and deletes, append mode on
 * insert-only feeds.
 */
class ForeachBatchStreamTest {
  static final int DIM = 8;
  static final ConcurrentLinkedQueue<BatchReport> REPORTS = new ConcurrentLinkedQueue<>();

  @TempDir Path dir;
  Path delta;
  String lance;

  @BeforeEach
  void setUp() {
    REPORTS.clear();
    delta = dir.resolve("delta");
    lance = dir.resolve("items.lance").toString();
    createDelta(delta);
  }

  static SparkSession spark() {
    return TestSpark.session();
  }

  Dataset<Row> changeFeed() {
    return spark().readStream().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", "0").option("maxFilesPerTrigger", "1")
        .load(delta.toString());
  }

  LanceSinkSettings.Builder settings() {
    return LanceSinkSettings.builder().tableUri(lance).writerId("items-sync")
        .vectorColumn("vector", DIM);
  }

  LanceForeachBatch.Builder fn() {
    return LanceForeachBatch.builder()
        .settings(settings().build())
        .listener(REPORTS::add);
  }

  /** Runs the stream with Trigger.AvailableNow until it has processed everything. */
  static void runToEnd(Dataset<Row> stream, LanceForeachBatch fn, Path ckpt) throws Exception {
    try {
      StreamingQuery q = stream.writeStream().foreachBatch(fn)
          .option("checkpointLocation", ckpt.toString()).trigger(Trigger.AvailableNow()).start();
      q.awaitTermination();
    } finally {
      fn.close();
    }
  }

  List<BatchResult.Outcome> outcomes() {
    List<BatchResult.Outcome> o = new ArrayList<>();
    REPORTS.forEach(r -> o.add(r.result().outcome()));
    return o;
  }

  /**
   * Test 1. Purpose: a change feed reaches Lance exactly. Steps: three insert commits, stream,
   * two more commits, stream again from the same checkpoint. Pass: Lance holds exactly Delta's
   * rows (keys, names, vectors), the change-feed columns are not stored, every committed batch
   * reported a freshness lag from its newest {@code _commit_timestamp}.
   */
  @Test
  void changeFeedReachesLanceExactly() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    append(delta, rows(0, 300, DIM));
    append(delta, rows(300, 700, DIM));
    append(delta, rows(700, 800, DIM));
    runToEnd(changeFeed(), fn().build(), ckpt);
    append(delta, rows(800, 900, DIM));
    append(delta, rows(900, 1000, DIM));
    runToEnd(changeFeed(), fn().build(), ckpt);

    assertThat(lanceState(lance)).hasSize(1000).isEqualTo(deltaState(delta));
    assertThat(outcomes()).containsOnly(BatchResult.Outcome.COMMITTED).hasSize(5);
    try (NativeLanceTable t = new NativeLanceTable(lance, Map.of())) {
      assertThat(t.schema().orElseThrow().getFields()).extracting(Field::getName)
          .containsExactly("id", "name", "vector");
      assertThat(t.schema().orElseThrow().findField("vector").getType().toString())
          .isEqualTo("FixedSizeList(" + DIM + ")");
    }
    for (BatchReport r : REPORTS) {
      assertThat(r.queryId()).isNotBlank();
      assertThat(r.sourceCommitTimestamp()).isPresent();
      assertThat(r.freshnessLag()).hasValueSatisfying(
          d -> assertThat(d).isPositive().isLessThan(Duration.ofMinutes(5)));
    }
    assertThat(REPORTS).extracting(BatchReport::queryId).containsOnly(REPORTS.peek().queryId());
  }

  /**
   * Test 1 in CDC mode. Purpose: inserts, updates, deletes and re-inserts reach Lance as Delta's
   * latest state. Steps: insert 300 rows; update 30 (names and vectors); delete 43; re-insert 15
   * deleted ids with new values; update a re-inserted id; stream these commits one per batch;
   * then two more commits (an update and a delete of the same keys) streamed as ONE batch from
   * the same checkpoint, so the batch holds several changes per key. Pass: Lance holds exactly
   * Delta's rows (keys, names, vectors), the change-feed columns are not stored, every batch
   * committed once.
   */
  @Test
  void changeFeedInCdcModeMatchesDeltaState() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    String t = "delta.`" + delta + "`";
    append(delta, rows(0, 300, DIM));
    spark().sql("UPDATE " + t + " SET name = concat(name, '-v2'),"
        + " vector = transform(vector, x -> x + 1) WHERE id % 10 = 0");
    spark().sql("DELETE FROM " + t + " WHERE id % 7 = 0");
    append(delta, rows(0, 100, DIM).where("id % 7 = 0")
        .selectExpr("id", "concat('re-', name) AS name", "transform(vector, x -> -x) AS vector"));
    spark().sql("UPDATE " + t + " SET name = 'again' WHERE id = 14");
    LanceForeachBatch.Builder cdc =
        fn().settings(settings().writeMode(WriteMode.cdc("id")).build());
    runToEnd(changeFeed(), cdc.build(), ckpt);
    assertThat(lanceState(lance)).isEqualTo(deltaState(delta));

    spark().sql("UPDATE " + t + " SET name = 'last' WHERE id BETWEEN 20 AND 40");
    spark().sql("DELETE FROM " + t + " WHERE id BETWEEN 30 AND 35");
    runToEnd(spark().readStream().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", "0").load(delta.toString()), cdc.build(), ckpt);

    Map<Long, List<Object>> expected = deltaState(delta);
    assertThat(expected).hasSize(300 - 43 + 15 - 6).containsKey(14L).doesNotContainKey(105L);
    assertThat(lanceState(lance)).isEqualTo(expected);
    assertThat(outcomes()).containsOnly(BatchResult.Outcome.COMMITTED);
    try (NativeLanceTable table = new NativeLanceTable(lance, Map.of())) {
      assertThat(table.schema().orElseThrow().getFields()).extracting(Field::getName)
          .containsExactly("id", "name", "vector");
    }
  }

  /**
   * Test 2. Purpose: replay the way Spark replays. Steps: stream three batches; delete
   * {@code checkpoint/commits/<last>}; restart. Pass: Spark re-ran that batch id, the sink
   * skipped it as a duplicate, the Lance version count and rows are unchanged.
   */
  @Test
  void replayAfterDeletingCommitLogIsSkipped() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    for (int i = 0; i < 3; i++) {
      append(delta, rows(i * 100, (i + 1) * 100, DIM));
    }
    runToEnd(changeFeed(), fn().build(), ckpt);
    long versions = lanceVersion(lance);
    long lastBatch = REPORTS.stream().mapToLong(BatchReport::batchId).max().orElseThrow();
    Path commit = ckpt.resolve("commits").resolve(Long.toString(lastBatch));
    assertThat(commit).exists();
    Files.delete(commit);
    Files.deleteIfExists(ckpt.resolve("commits").resolve("." + lastBatch + ".crc"));
    REPORTS.clear();

    runToEnd(changeFeed(), fn().build(), ckpt);

    assertThat(REPORTS).extracting(BatchReport::batchId).containsExactly(lastBatch);
    assertThat(outcomes()).containsExactly(BatchResult.Outcome.SKIPPED_DUPLICATE);
    assertThat(lanceVersion(lance)).isEqualTo(versions);
    assertThat(lanceRowCount(lance)).isEqualTo(300);
    assertThat(lanceState(lance)).isEqualTo(deltaState(delta));
  }

  /**
   * Test 4. Purpose: a new checkpoint with the old writer id must not silently skip or
   * duplicate. Steps: stream into Lance; stream again from a NEW checkpoint. Pass: the query
   * fails with a LedgerException explaining the lineage change, nothing is written; after the
   * user opts in via the session conf key {@code lance.sink.lineage.policy=start-new}, the new
   * stream is written.
   */
  @Test
  void newCheckpointFailsLoudlyUnlessOptedIn() throws Exception {
    append(delta, rows(0, 100, DIM));
    runToEnd(changeFeed(), fn().build(), dir.resolve("ckpt-1"));
    long versions = lanceVersion(lance);

    assertThatThrownBy(() -> runToEnd(changeFeed(), fn().build(), dir.resolve("ckpt-2")))
        .satisfies(e -> {
          LedgerException le = causeOf(e, LedgerException.class);
          assertThat(le).isNotNull();
          assertThat(le.getMessage()).contains("items-sync", "new lineage", "checkpoint",
              "START_NEW_LINEAGE", "lance.sink.lineage.policy");
        });
    assertThat(lanceVersion(lance)).isEqualTo(versions);

    spark().conf().set(LanceSinkOptions.LINEAGE_POLICY, "start-new");
    try {
      runToEnd(changeFeed(), fn().build(), dir.resolve("ckpt-3"));
    } finally {
      spark().conf().unset(LanceSinkOptions.LINEAGE_POLICY);
    }
    assertThat(lanceRowCount(lance)).isEqualTo(200); // the opted-in stream re-read from start
  }

  /**
   * Test 5. Purpose: empty batches commit nothing and AvailableNow terminates. Steps: one data
   * commit, one commit whose rows the query filters out, then a restart with no new data. Pass:
   * the filtered batch is EMPTY and creates no version; the stream stops by itself each time;
   * the idle restart runs no batch.
   */
  @Test
  void emptyBatchesAndAvailableNow() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    append(delta, rows(0, 50, DIM));
    append(delta, rows(1000, 1010, DIM));
    Dataset<Row> filtered = changeFeed().where("id < 1000");
    runToEnd(filtered, fn().build(), ckpt);
    assertThat(outcomes())
        .containsExactly(BatchResult.Outcome.COMMITTED, BatchResult.Outcome.EMPTY);
    long versions = lanceVersion(lance);
    REPORTS.clear();

    runToEnd(changeFeed().where("id < 1000"), fn().build(), ckpt);
    assertThat(REPORTS).isEmpty();
    assertThat(lanceVersion(lance)).isEqualTo(versions);
    assertThat(lanceState(lance)).hasSize(50);
  }
  /**
   * Test 6 (issue 15, the overlapped conversion). Purpose: a task that hands many Arrow batches
   * from its conversion thread to Lance's writer thread loses, repeats and reorders nothing,
   * with variable-width strings and vectors in every batch. Steps: 500 inserts, an update of
   * every third row, a delete of every eleventh; stream in CDC mode with 7 rows per Arrow batch
   * (about 40 hand-offs per task). Pass: Lance holds exactly Delta's state.
   */
  @Test
  void manySmallArrowBatchesPerTaskArriveExactly() throws Exception {
    String t = "delta.`" + delta + "`";
    append(delta, rows(0, 500, DIM));
    spark().sql("UPDATE " + t + " SET name = concat(name, '-longer-name-v2'),"
        + " vector = transform(vector, x -> x * 2) WHERE id % 3 = 0");
    spark().sql("DELETE FROM " + t + " WHERE id % 11 = 0");
    runToEnd(changeFeed(), fn().settings(settings().writeMode(WriteMode.cdc("id")).build())
        .option(LanceSinkOptions.ARROW_BATCH_ROWS, "7").build(), dir.resolve("ckpt"));

    Map<Long, List<Object>> expected = deltaState(delta);
    assertThat(expected).hasSize(500 - 46);
    assertThat(lanceState(lance)).isEqualTo(expected);
  }

  /**
   * Test 7 (issue 15). Purpose: rows that fail upstream in the middle of a task, after Lance's
   * writer thread has taken earlier batches, abort the whole batch: nothing is committed, and
   * the same batch id commits in full when it runs again. Steps: 2,000 rows whose name raises
   * an error at id 1,500, 7 rows per Arrow batch, one foreachBatch call; then the call again
   * with good rows. Pass: the first call fails with the upstream error and the table holds no
   * row; the second commits exactly 2,000 rows, once.
   */
  @Test
  void upstreamFailureMidTaskCommitsNothing() throws Exception {
    LanceForeachBatch bad = fn().option(LanceSinkOptions.ARROW_BATCH_ROWS, "7").build();
    Dataset<Row> failing = rows(0, 2000, DIM).selectExpr("id",
        "if(id = 1500, raise_error('upstream boom'), name) AS name", "vector");
    try {
      assertThatThrownBy(() -> bad.call(failing, 0L))
          .satisfies(e -> assertThat(stackText(e)).contains("upstream boom"));
    } finally {
      bad.close();
    }
    assertThat(lanceRowCount(lance)).isZero(); // at most the empty table the tasks write into

    LanceForeachBatch good = fn().option(LanceSinkOptions.ARROW_BATCH_ROWS, "7").build();
    try {
      good.call(rows(0, 2000, DIM), 0L);
    } finally {
      good.close();
    }
    assertThat(lanceRowCount(lance)).isEqualTo(2000);
    assertThat(lanceState(lance)).hasSize(2000); // and no id twice
    assertThat(outcomes()).containsExactly(BatchResult.Outcome.COMMITTED);
  }

  private static String stackText(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }
}
