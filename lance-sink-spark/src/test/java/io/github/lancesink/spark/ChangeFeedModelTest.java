package io.github.lancesink.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.WriteMode;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.testkit.internal.KeyedRows;
import io.github.lancesink.testkit.internal.KeyedScenario;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keyed reference model through the Spark adapter: random change-feed batches (inserts,
 * updates with pre-images, deletes, and deletes re-inserted in the same {@code _commit_version}
 * as an overwrite writes them), rows shuffled and spread over two partitions, go through {@link
 * LanceForeachBatch} (Spark's distributed collapse, then the core's) into real Lance. After every
 * batch the table must equal the model: the same rule (ChangeFeed.precedence) on both paths.
 */
class ChangeFeedModelTest {
  static final StructType SCHEMA = new StructType()
      .add("id", DataTypes.LongType)
      .add("grp", DataTypes.StringType)
      .add("val", DataTypes.LongType)
      .add("vector", DataTypes.createArrayType(DataTypes.FloatType))
      .add("_change_type", DataTypes.StringType)
      .add("_commit_version", DataTypes.LongType);

  @TempDir Path dir;

  static Dataset<Row> frame(KeyedRows batch) {
    List<Row> rows = new ArrayList<>();
    for (KeyedRows.Row r : batch.rows()) {
      List<Float> v = new ArrayList<>();
      for (int i = 0; i < KeyedRows.DIM; i++) {
        v.add(i == 0 ? (float) r.val() : (float) i);
      }
      rows.add(RowFactory.create(r.id(), r.grp(), r.val(), v, r.change(), r.version()));
    }
    // two partitions, so a key's delete and insert can sit in different tasks
    return TestSpark.session().createDataFrame(rows, SCHEMA).repartition(2);
  }

  /**
   * Purpose: Spark and core agree on the change-feed rule, including same-version
   * delete+insert ties in any row order. Steps: 3 seeds x 8 random CDC batches through {@code
   * call(df, batchId)}. Pass: after every batch the Lance table's id -> val map equals the
   * model's; at least one batch of the run holds a same-version delete+insert pair (so the tie
   * is exercised, not assumed).
   */
  @Test
  void changeFeedBatchesMatchTheReferenceModel() throws Exception {
    int ties = 0;
    for (long seed = 0; seed < 3; seed++) {
      String uri = dir.resolve("t" + seed + ".lance").toString();
      KeyedScenario scenario = KeyedScenario.cdc(seed, 8);
      LanceForeachBatch fn = LanceForeachBatch.builder()
          .settings(LanceSinkSettings.builder()
              .tableUri(uri)
              .writerId("model")
              .writeMode(WriteMode.cdc("id"))
              .vectorColumn("vector", KeyedRows.DIM)
              .build())
          .build();
      try {
        for (int b = 0; b < scenario.steps.size(); b++) {
          KeyedRows batch = scenario.steps.get(b).batch();
          ties += sameVersionTies(batch);
          fn.call(frame(batch), (long) b);
          try (NativeLanceTable table = new NativeLanceTable(uri, Map.of())) {
            assertThat(KeyedRows.read(table, OptionalLong.empty()))
                .as("seed %d batch %d", seed, b)
                .isEqualTo(scenario.steps.get(b).after());
          }
        }
      } finally {
        fn.close(); // stops the sink's background maintenance before the temp dir goes
      }
    }
    assertThat(ties).as("same-version delete+insert pairs in the scenarios").isPositive();
  }

  private static int sameVersionTies(KeyedRows batch) {
    int n = 0;
    for (KeyedRows.Row d : batch.rows()) {
      if ("delete".equals(d.change())) {
        for (KeyedRows.Row i : batch.rows()) {
          if ("insert".equals(i.change()) && i.id().equals(d.id())
              && i.version().equals(d.version())) {
            n++;
          }
        }
      }
    }
    return n;
  }
}
