package io.github.lancesink.spark.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spark.LanceForeachBatch;
import io.github.lancesink.spark.TableFactory;
import io.github.lancesink.testkit.InMemoryLanceTable;
import io.github.lancesink.testkit.LanceAssertions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real streaming query (JSON file source, foreachBatch into the fake) replays the last batch
 * after {@link StreamingCheckpoints#replayBatch}, and the sink skips it.
 */
@ExtendWith(LocalSpark.class)
class StreamingCheckpointsTest {
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  @Test
  void sparkReplaysTheBatchAndTheSinkSkipsIt(SparkSession spark, @TempDir Path dir)
      throws Exception {
    Path input = Files.createDirectories(dir.resolve("in"));
    Path ckpt = dir.resolve("ckpt");
    SEEN.clear();
    try (InMemoryLanceTable table = InMemoryLanceTable.create()) {
      TableFactory tables = SparkTables.register("replay", table);
      try {
        Files.writeString(input.resolve("a.json"), "{\"id\":1,\"text\":\"a\"}\n");
        run(spark, input, ckpt, tables);
        Files.writeString(input.resolve("b.json"), "{\"id\":2,\"text\":\"b\"}\n");
        run(spark, input, ckpt, tables);
        assertThat(StreamingCheckpoints.lastCommitted(ckpt)).hasValue(1);

        assertThatThrownBy(() -> StreamingCheckpoints.replayBatch(ckpt, 0))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("last committed in");
        StreamingCheckpoints.replayBatch(ckpt, 1);
        assertThat(ckpt.resolve("commits/1")).doesNotExist();
        assertThat(ckpt.resolve("commits/.1.crc")).doesNotExist();
        run(spark, input, ckpt, tables);
      } finally {
        SparkTables.unregister("replay");
      }
      assertThat(SEEN).containsExactly("0:COMMITTED", "1:COMMITTED", "1:SKIPPED_DUPLICATE");
      assertThat(StreamingCheckpoints.lastCommitted(ckpt)).hasValue(1);
      LanceAssertions.assertThat(table).containsExactlyRowsById(1, 2)
          .hasCommittedBatches("w", 0, 1);
    }
  }

  private static void run(SparkSession spark, Path input, Path ckpt, TableFactory tables)
      throws Exception {
    LanceForeachBatch fn = LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .writerId("w")
            .build())
        .table(tables).listener(r -> SEEN.add(r.result().batchId() + ":" + r.result().outcome()))
        .build();
    try {
      spark.readStream().schema("id BIGINT, text STRING").json(input.toString())
          .writeStream().foreachBatch(fn).option("checkpointLocation", ckpt.toString())
          .trigger(Trigger.AvailableNow()).start().awaitTermination();
    } finally {
      fn.close();
    }
  }

}
