package io.github.lancesink.examples.partitioned;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs a tiny partitioned-files-to-lance demo on real Spark local[2] and real Lance. */
class PartitionedFilesToLanceSmokeTest {
  @TempDir Path dir;

  @AfterAll
  static void stopSpark() {
    SparkSession.getActiveSession().foreach(s -> {
      s.stop();
      return null;
    });
  }

  /**
   * Purpose: every landed partition reaches Lance exactly once. Steps: land 3 minute partitions
   * of 20 rows, one runner cycle after each. Pass: exit 0, each cycle processed its partition,
   * and Lance (plain Lance API) equals the Parquet files as read back by Spark.
   */
  @Test
  void everyPartitionReachesLanceExactlyOnce() throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("partitions-smoke")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();

    int code = PartitionedFilesToLance.run(3, 20, spark, dir,
        new PrintStream(buf, true, StandardCharsets.UTF_8));

    String printed = buf.toString(StandardCharsets.UTF_8);
    System.out.println(printed);
    assertThat(code).as(printed).isZero();
    assertThat(printed).contains("minute=00]", "minute=01]", "minute=02]", "CHECK [ok]");
    Map<Long, List<Object>> source = new TreeMap<>();
    for (Row r : spark.read().parquet(dir.resolve("landing").toString())
        .select("id", "text", "vector").collectAsList()) {
      source.put(r.getLong(0), List.of(r.getString(1), new ArrayList<>(r.getList(2))));
    }
    assertThat(source).hasSize(60);
    assertThat(PartitionedFilesToLance.lanceRows(dir.resolve("ads.lance").toString()))
        .isEqualTo(source);
  }
}
