package io.github.lancesink.bench;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.spark.LanceForeachBatch;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Driver memory while the batch grows from 100k to 2M rows (128-d). Reports, per batch size,
 * the bytes that tasks returned to the driver (Spark's task result size: fragment metadata only)
 * and the driver heap retained after the batch (used heap after a full GC, minus the baseline).
 * In local mode the executors share the driver's JVM, so peak heap during the job is not the
 * driver's alone; retained heap and result bytes are. Target: both flat.
 * System property: bench.spark.dim (128).
 */
final class SparkDriverMemoryBench {
  private SparkDriverMemoryBench() {}

  static void run() throws Exception {
    int dim = Integer.getInteger("bench.spark.dim", 128);
    Path work = Files.createTempDirectory("lance-sink-spark-mem-bench");
    Results results = new Results("Spark driver memory vs batch size (" + dim + "-d)",
        "rows in batch", "seconds", "task result bytes to driver", "retained driver heap MB");
    SparkSession spark = SparkBenchSupport.session();
    AtomicLong resultBytes = new AtomicLong();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd end) {
        if (end.taskMetrics() != null) {
          resultBytes.addAndGet(end.taskMetrics().resultSize());
        }
      }
    });
    MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
    String uri = work.resolve("mem.lance").toString();
    LanceForeachBatch fn = LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri(uri)
            .writerId("mem-bench")
            .vectorColumn("vector", dim)
            .build())
        .build();
    fn.call(SparkBenchSupport.rows(spark, 0, 10_000, dim, 2), 0L); // warm-up, opens the sink
    long baseline = usedAfterGc(mem);
    System.out.printf("DriverMemoryBench dim=%d baseline heap %.1f MB%n", dim, baseline / 1e6);
    long next = 10_000;
    long batch = 1;
    for (long rows : new long[] {100_000, 500_000, 1_000_000, 2_000_000}) {
      resultBytes.set(0);
      long t0 = System.nanoTime();
      fn.call(SparkBenchSupport.rows(spark, next, next + rows, dim, 2), batch++);
      double s = (System.nanoTime() - t0) / 1e9;
      long retained = usedAfterGc(mem) - baseline;
      System.out.printf("  rows=%,9d  %.1f s  task results to driver %,7d bytes"
          + "  retained driver heap %+.1f MB%n", rows, s, resultBytes.get(), retained / 1e6);
      results.row(rows, s, resultBytes.get(), retained / 1e6);
      next += rows;
    }
    fn.close();
    results.note("Target: flat. Task result bytes are everything the executors send to the driver"
        + " (fragment metadata); retained heap is used heap after full GCs minus the baseline after"
        + " a warm-up batch. local[2]: executors share the JVM, so peak heap is not reported.")
        .write("spark-driver-memory");
    AppendBench.deleteTree(work);
    spark.stop();
  }

  private static long usedAfterGc(MemoryMXBean mem) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return mem.getHeapMemoryUsage().getUsed();
  }
}
