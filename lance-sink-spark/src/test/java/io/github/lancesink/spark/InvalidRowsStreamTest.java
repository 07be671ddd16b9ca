package io.github.lancesink.spark;

import static io.github.lancesink.spark.ForeachBatchStreamTest.runToEnd;
import static io.github.lancesink.spark.TestSpark.append;
import static io.github.lancesink.spark.TestSpark.causeOf;
import static io.github.lancesink.spark.TestSpark.createDelta;
import static io.github.lancesink.spark.TestSpark.lanceRowCount;
import static io.github.lancesink.spark.TestSpark.lanceVersion;
import static io.github.lancesink.spark.TestSpark.rows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.ConfigurationException;
import io.github.lancesink.InvalidBatchException;
import io.github.lancesink.LanceSinkSettings;
import java.nio.file.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Test 6 and friends: bad rows in a real stream stop the batch and commit nothing. */
class InvalidRowsStreamTest {
  static final int DIM = 8;

  @TempDir Path dir;
  Path delta;
  String lance;

  @BeforeEach
  void setUp() {
    delta = dir.resolve("delta");
    lance = dir.resolve("items.lance").toString();
    createDelta(delta);
    append(delta, rows(0, 100, DIM));
  }

  Dataset<Row> changeFeed() {
    return TestSpark.session().readStream().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", "0").option("maxFilesPerTrigger", "1")
        .load(delta.toString());
  }

  LanceForeachBatch fn() {
    return LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri(lance)
            .writerId("items-sync")
            .vectorColumn("vector", DIM)
            .build())
        .rowIdentity("id").build();
  }

  /**
   * Purpose: a wrong dimension, a null vector and a NaN stop the batch on the executors. Steps:
   * a good batch, then a batch of 100 rows (in two Spark partitions) where id 1003 has 7
   * elements, id 1007 is null and id 1060 holds NaN. Pass: the query fails with an
   * InvalidBatchException naming column 'vector', 3 rows and the first key id=1003; the Lance
   * version and rows are those of the good batch.
   */
  @Test
  void wrongDimensionNullAndNanVectorsStopTheBatch() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    runToEnd(changeFeed(), fn(), ckpt);
    long version = lanceVersion(lance);

    append(delta, TestSpark.session().range(1000, 1100).selectExpr("id",
        "concat('item-', id) AS name",
        "CASE WHEN id = 1003 THEN transform(sequence(0, 6), i -> CAST(i AS FLOAT))"
            + " WHEN id = 1007 THEN CAST(NULL AS ARRAY<FLOAT>)"
            + " WHEN id = 1060 THEN array_repeat(CAST('NaN' AS FLOAT), " + DIM + ")"
            + " ELSE transform(sequence(0, " + (DIM - 1) + "), i -> CAST(i AS FLOAT)) END"
            + " AS vector").coalesce(1));

    assertThatThrownBy(() -> runToEnd(changeFeed().repartition(2), fn(), ckpt))
        .satisfies(e -> {
          InvalidBatchException ib = causeOf(e, InvalidBatchException.class);
          assertThat(ib).as("cause chain of %s", e).isNotNull();
          assertThat(ib.column()).isEqualTo("vector");
          assertThat(ib.badRows()).isEqualTo(3);
          assertThat(ib.getMessage()).contains("'vector'", "3 rows", "Nothing was committed");
          assertThat(ib.firstBadRow()).contains("id=");
        });
    assertThat(lanceVersion(lance)).isEqualTo(version);
    assertThat(lanceRowCount(lance)).isEqualTo(100);
  }

  /**
   * Purpose: with one partition the first offending key is deterministic. Pass: the message
   * names id=1003 (the wrong length), the rule and the count 2; no row is committed.
   */
  @Test
  void firstOffendingKeyIsNamed() {
    append(delta, TestSpark.session().range(1000, 1010).selectExpr("id",
        "concat('item-', id) AS name",
        "CASE WHEN id = 1003 THEN transform(sequence(0, 6), i -> CAST(i AS FLOAT))"
            + " WHEN id = 1007 THEN CAST(NULL AS ARRAY<FLOAT>)"
            + " ELSE transform(sequence(0, " + (DIM - 1) + "), i -> CAST(i AS FLOAT)) END"
            + " AS vector").coalesce(1));
    Dataset<Row> oneBatch = TestSpark.session().readStream().format("delta")
        .option("readChangeFeed", "true").option("startingVersion", "2").load(delta.toString());
    assertThatThrownBy(() -> runToEnd(oneBatch, fn(), dir.resolve("ckpt")))
        .satisfies(e -> {
          InvalidBatchException ib = causeOf(e, InvalidBatchException.class);
          assertThat(ib).isNotNull();
          assertThat(ib.firstBadRow()).isEqualTo("id=1003");
          assertThat(ib.getMessage()).contains("column 'vector'", "length must be 8",
              "in 2 rows", "id=1003");
        });
    // the core creates the empty dataset before staging; no data and no marker were committed
    assertThat(lanceVersion(lance)).isLessThanOrEqualTo(1);
    assertThat(lanceRowCount(lance)).isZero();
  }

  /**
   * Purpose: append mode never applies an update or delete as an insert. Steps: an UPDATE on
   * the Delta table, streamed in append mode. Pass: InvalidBatchException on '_change_type'
   * naming the key; nothing committed beyond the insert batch.
   */
  @Test
  void appendModeRejectsUpdatesAndDeletes() throws Exception {
    Path ckpt = dir.resolve("ckpt");
    runToEnd(changeFeed(), fn(), ckpt);
    long version = lanceVersion(lance);
    TestSpark.session().sql("UPDATE delta.`" + delta + "` SET name = 'changed' WHERE id = 5");
    assertThatThrownBy(() -> runToEnd(changeFeed(), fn(), ckpt))
        .satisfies(e -> {
          InvalidBatchException ib = causeOf(e, InvalidBatchException.class);
          assertThat(ib).isNotNull();
          assertThat(ib.column()).isEqualTo("_change_type");
          assertThat(ib.firstBadRow()).isEqualTo("id=5");
          assertThat(ib.getMessage()).contains("WriteMode.cdc");
        });
    assertThat(lanceVersion(lance)).isEqualTo(version);
  }

  /**
   * Purpose: a vector column of the wrong Spark type fails as configuration, before writing.
   * Pass: ConfigurationException naming the column; the table is not created.
   */
  @Test
  void vectorOfDoublesIsAConfigurationError() {
    Dataset<Row> doubles = changeFeed().selectExpr("id", "name",
        "transform(vector, x -> CAST(x AS DOUBLE)) AS vector");
    assertThatThrownBy(() -> runToEnd(doubles, fn(), dir.resolve("ckpt")))
        .satisfies(e -> {
          ConfigurationException ce = causeOf(e, ConfigurationException.class);
          assertThat(ce).isNotNull();
          assertThat(ce.getMessage()).contains("vector", "FixedSizeList<float32>[8]");
        });
    assertThat(lanceVersion(lance)).isZero();
  }
}
