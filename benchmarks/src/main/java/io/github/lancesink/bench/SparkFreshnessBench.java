package io.github.lancesink.bench;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spark.BatchReport;
import io.github.lancesink.spark.LanceForeachBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Freshness of a Delta change feed streamed into Lance: a producer commits {@code rate} rows to
 * Delta once per second, a stream with a 5 s processing-time trigger writes them to Lance, and
 * every committed batch reports the lag from its newest {@code _commit_timestamp} to the Lance
 * commit. Target: p99 <= trigger + 2 s. System properties: bench.spark.freshness.seconds (60),
 * bench.spark.freshness.rate (2000 rows/s), bench.spark.dim (128).
 */
final class SparkFreshnessBench {
  private SparkFreshnessBench() {}

  static final ConcurrentLinkedQueue<BatchReport> REPORTS = new ConcurrentLinkedQueue<>();

  static void run() throws Exception {
    int seconds = Integer.getInteger("bench.spark.freshness.seconds", 60);
    int rate = Integer.getInteger("bench.spark.freshness.rate", 2_000);
    int dim = Integer.getInteger("bench.spark.dim", 128);
    Path work = Files.createTempDirectory("lance-sink-spark-fresh-bench");
    SparkSession spark = SparkBenchSupport.session();
    String delta = work.resolve("delta").toString();
    spark.sql("CREATE TABLE delta.`" + delta + "` (id BIGINT, name STRING, vector ARRAY<FLOAT>)"
        + " USING delta TBLPROPERTIES (delta.enableChangeDataFeed = true)");
    LanceForeachBatch fn = LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri(work.resolve("fresh.lance").toString())
            .writerId("fresh-bench")
            .vectorColumn("vector", dim)
            .build())
        .listener(REPORTS::add).build();
    StreamingQuery q = spark.readStream().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", "0").load(delta)
        .writeStream().foreachBatch(fn).trigger(Trigger.ProcessingTime("5 seconds"))
        .option("checkpointLocation", work.resolve("ckpt").toString()).start();

    long produced = 0;
    long start = System.nanoTime();
    while (System.nanoTime() - start < seconds * 1_000_000_000L) {
      long t0 = System.nanoTime();
      SparkBenchSupport.rows(spark, produced, produced + rate, dim, 1).write().format("delta")
          .mode("append").save(delta);
      produced += rate;
      long left = 1_000 - (System.nanoTime() - t0) / 1_000_000;
      if (left > 0) {
        Thread.sleep(left);
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    Thread.sleep(12_000); // let the last batches land
    q.stop();
    fn.close();
    if (q.exception().isDefined()) {
      throw new IllegalStateException("the stream failed", q.exception().get());
    }

    List<Long> lags = new ArrayList<>();
    for (BatchReport r : REPORTS) {
      r.freshnessLag().map(Duration::toMillis).ifPresent(lags::add);
    }
    Collections.sort(lags);
    System.out.printf("FreshnessBench %d s, produced %d rows (%.0f rows/s achieved), trigger 5 s,"
        + " %d committed batches%n", seconds, produced, produced / elapsed, lags.size());
    if (!lags.isEmpty()) {
      new Results("Spark change-feed freshness (" + seconds + " s at " + rate + " rows/s target, "
              + String.format("%.0f", produced / elapsed) + " achieved, 5 s trigger, " + dim
              + "-d)", "batches", "p50 lag ms", "p99 lag ms", "max lag ms")
          .row(lags.size(), pct(lags, 0.50), pct(lags, 0.99), lags.get(lags.size() - 1))
          .note("Lag = Lance commit time - newest _commit_timestamp of the batch. Target: p99 <="
              + " 7000 ms (trigger + 2 s). The producer commits to Delta once per second.")
          .write("spark-freshness");
    }
    AppendBench.deleteTree(work);
    spark.stop();
  }

  private static long pct(List<Long> sorted, double p) {
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
