package io.github.lancesink.examples.deltacdf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The embedding stage on real Spark local[2]: only rows whose text changed reach the model, on
 * the executors, and every embedded row carries the model's name next to its vector.
 */
class EmbedChangedRowsTest {
  static final StructType FEED = new StructType()
      .add("id", DataTypes.LongType, false)
      .add("text", DataTypes.StringType, false)
      .add("_change_type", DataTypes.StringType, false)
      .add("_commit_version", DataTypes.LongType, false);

  /** Every text the model was asked to embed (tasks run in this JVM under local[2]). */
  static final Queue<String> CALLS = new ConcurrentLinkedQueue<>();

  /** The hashing stand-in, recording its calls. */
  static final class Recording implements TextEmbedder {
    private static final long serialVersionUID = 1L;
    private final HashingEmbedder inner = new HashingEmbedder(8);

    @Override
    public String modelId() {
      return "recording-8@1";
    }

    @Override
    public int dimension() {
      return 8;
    }

    @Override
    public float[] embed(String text) {
      CALLS.add(text);
      return inner.embed(text);
    }
  }

  static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = DeltaCdfToLance.session();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  @BeforeEach
  void clear() {
    CALLS.clear();
  }

  /**
   * Purpose: deletes and pre-images carry no embedding work. Steps: a change feed of two
   * inserts, an update (pre- and post-image) and a delete, in two partitions, through the
   * stage. Pass: the model saw exactly the inserted texts and the post-image's text, each
   * once; those rows carry the embedding of their text and the model id; the delete and the
   * pre-image pass through with a null vector and model; the meter counts 3 embedded, 2 passed
   * through and some busy time.
   */
  @Test
  void embedsInsertsAndPostImagesOnly() {
    List<Row> feed = List.of(
        RowFactory.create(1L, "red wool socks", "insert", 1L),
        RowFactory.create(2L, "old kettle", "update_preimage", 2L),
        RowFactory.create(2L, "new kettle", "update_postimage", 2L),
        RowFactory.create(3L, "blue mug", "delete", 2L),
        RowFactory.create(4L, "oak desk", "insert", 2L));
    Dataset<Row> changes = spark.createDataFrame(feed, FEED).repartition(2);
    EmbeddingMeter meter = new EmbeddingMeter(spark.sparkContext());

    Map<String, Row> out = byTextAndType(
        EmbedChangedRows.apply(changes, "text", new Recording(), meter).collectAsList());

    assertThat(CALLS).containsExactlyInAnyOrder("red wool socks", "new kettle", "oak desk");
    HashingEmbedder h = new HashingEmbedder(8);
    for (String embedded : List.of("red wool socks/insert", "new kettle/update_postimage",
        "oak desk/insert")) {
      Row r = out.get(embedded);
      assertThat(r.<Float>getList(4)).as(embedded)
          .isEqualTo(DeltaCdfToLanceSmokeTest.boxed(h.embed(r.getString(1))));
      assertThat(r.getString(5)).isEqualTo("recording-8@1");
    }
    for (String passed : List.of("old kettle/update_preimage", "blue mug/delete")) {
      assertThat(out.get(passed).isNullAt(4)).as(passed).isTrue();
      assertThat(out.get(passed).isNullAt(5)).as(passed).isTrue();
    }
    assertThat(out.get("blue mug/delete").schema().fieldNames()).containsExactly("id", "text",
        "_change_type", "_commit_version", "vector", "embedding_model");
    assertThat(meter.embedded()).isEqualTo(3);
    assertThat(meter.passedThrough()).isEqualTo(2);
    assertThat(meter.busySeconds()).isPositive();
    assertThat(meter.rowsPerExecutorSecond()).isPositive();
  }

  /**
   * Purpose: a table snapshot (no change type) is embedded whole: that is how the demo's final
   * check computes what Lance must hold. Pass: every text reaches the model once.
   */
  @Test
  void embedsEveryRowOfASnapshot() {
    Dataset<Row> snapshot = spark.createDataFrame(List.of(
        RowFactory.create(1L, "a"), RowFactory.create(2L, "b"), RowFactory.create(3L, "c")),
        new StructType().add("id", DataTypes.LongType).add("text", DataTypes.StringType));
    EmbeddingMeter meter = new EmbeddingMeter(spark.sparkContext());

    List<Row> rows = EmbedChangedRows.apply(snapshot, "text", new Recording(), meter)
        .collectAsList();

    assertThat(CALLS).containsExactlyInAnyOrder("a", "b", "c");
    assertThat(rows).allSatisfy(r -> assertThat(r.getList(2)).hasSize(8));
    assertThat(meter.embedded()).isEqualTo(3);
    assertThat(meter.passedThrough()).isZero();
  }

  private static Map<String, Row> byTextAndType(List<Row> rows) {
    Map<String, Row> out = new TreeMap<>();
    rows.forEach(r -> out.put(r.getString(1) + "/" + r.getString(2), r));
    assertThat(out).hasSize(rows.size());
    return out;
  }
}
