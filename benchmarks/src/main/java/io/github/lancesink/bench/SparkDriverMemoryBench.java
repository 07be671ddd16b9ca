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
 * Driver and executor memory while the batch grows from 100k to 5M rows (128-d). Reports, per
 * batch size: the bytes that tasks returned to the driver (Spark's task result size: fragment
 * metadata only); the heap the driver's calling thread allocated during the {@code
 * foreachBatch} call (planning, result handling, ledger check, commit: in local mode the tasks
 * run on other threads, so this is the driver's own work); the driver heap retained after the
 * batch (used heap after a full GC, minus the baseline); and the most Arrow memory one task
 * held at once. Targets: the driver's three flat; a task's Arrow memory bounded by a few record
 * batches, whatever the batch size. System properties: bench.spark.dim (128),
 * bench.spark.memory.rows (100000,500000,1000000,2000000,5000000).
 */
final class SparkDriverMemoryBench {
  private SparkDriverMemoryBench() {}

  static void run() throws Exception {
    int dim = Integer.getInteger("bench.spark.dim", 128);
    Path work = Files.createTempDirectory("lance-sink-spark-mem-bench");
    Results results = new Results("Spark driver memory vs batch size (" + dim + "-d)",
        "rows in batch", "seconds", "task result bytes to driver",
        "driver thread allocated MB", "retained driver heap MB", "peak Arrow MB per task");
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
            // the write path only: an index build would add the maintenance lane's memory
            .optimizePolicy(io.github.lancesink.policy.OptimizePolicy.never())
            .build())
        .build();
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    fn.call(SparkBenchSupport.rows(spark, 0, 10_000, dim, 2), 0L); // warm-up, opens the sink
    long baseline = usedAfterGc(mem);
    System.out.printf("DriverMemoryBench dim=%d baseline heap %.1f MB%n", dim, baseline / 1e6);
    long next = 10_000;
    long batch = 1;
    for (String r : System.getProperty("bench.spark.memory.rows",
        "100000,500000,1000000,2000000,5000000").split(",")) {
      long rows = Long.parseLong(r.trim());
      resultBytes.set(0);
      io.github.lancesink.spark.internal.PartitionWriter.resetPeakTaskArrowBytes();
      long a0 = threads.getCurrentThreadAllocatedBytes();
      long t0 = System.nanoTime();
      fn.call(SparkBenchSupport.rows(spark, next, next + rows, dim, 2), batch++);
      double s = (System.nanoTime() - t0) / 1e9;
      double allocated = (threads.getCurrentThreadAllocatedBytes() - a0) / 1e6;
      long retained = usedAfterGc(mem) - baseline;
      double arrow = io.github.lancesink.spark.internal.PartitionWriter.peakTaskArrowBytes() / 1e6;
      System.out.printf("  rows=%,9d  %.1f s  task results to driver %,7d bytes  driver thread"
          + " allocated %.1f MB  retained driver heap %+.1f MB  peak Arrow per task %.1f MB%n",
          rows, s, resultBytes.get(), allocated, retained / 1e6, arrow);
      results.row(rows, s, resultBytes.get(), allocated, retained / 1e6, arrow);
      next += rows;
    }
    fn.close();
    results.note("Target: the driver columns flat. Task result bytes are everything the"
        + " executors send to the driver (fragment metadata); driver thread allocated is the heap"
        + " the calling thread allocated during the foreachBatch call (the tasks run on Spark's"
        + " executor threads); retained heap is used heap after full GCs minus the baseline after"
        + " a warm-up batch. local[2]: executors share the JVM, so peak heap is not reported.")
        .note("Peak Arrow per task: the most off-heap Arrow memory one task's allocator held"
            + " (the batch being converted, the one queued for Lance and those Lance's encoder"
            + " still references until it writes them out;"
            + " " + io.github.lancesink.spark.LanceSinkOptions.DEFAULT_ARROW_BATCH_ROWS
            + " rows per record batch). Lance's own native buffers are not counted.")
        .note("Sink with OptimizePolicy.never() (the write path only). Load average at the end: "
            + SparkThroughputBench.loadAverage() + ".")
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
