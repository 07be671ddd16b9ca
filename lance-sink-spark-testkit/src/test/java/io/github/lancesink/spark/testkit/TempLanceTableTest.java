package io.github.lancesink.spark.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spark.LanceForeachBatch;
import io.github.lancesink.spi.LanceTable;
import io.github.lancesink.testkit.LanceAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The real-Lance fixture: a temp dataset, a public way to open it, cleanup. */
@ExtendWith(LocalSpark.class)
class TempLanceTableTest {

  @Test
  void aBatchWrittenToTheUriCanBeAssertedThroughOpen(SparkSession spark) {
    Path dir;
    try (TempLanceTable lance = TempLanceTable.create()) {
      dir = lance.path().getParent();
      try (LanceForeachBatch fn = LanceForeachBatch.builder()
          .settings(LanceSinkSettings.builder()
              .tableUri(lance.uri())
              .writerId("w")
              .build())
          .build()) {
        spark.sparkContext().setLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY, "q");
        try {
          fn.call(spark.range(0, 7).selectExpr("id", "concat('t', id) AS text"), 0L);
        } finally {
          spark.sparkContext().setLocalProperty(LanceForeachBatch.QUERY_ID_PROPERTY, null);
        }
      }
      try (LanceTable table = lance.open()) {
        LanceAssertions.assertThat(table).containsExactlyRowsById(0, 1, 2, 3, 4, 5, 6)
            .hasBatchCommittedOnce("w", 0);
      }
      assertThat(Files.isDirectory(lance.path())).isTrue();
    }
    assertThat(dir).doesNotExist();
  }
}
