package io.github.lancesink.bench;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spark.LanceForeachBatch;
import io.github.lancesink.spark.internal.ConvertProbe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * The Spark path (local[2], {@link LanceForeachBatch}: 2 tasks write fragments, the driver
 * commits once) against two baselines on lance-core in one run, same rows (issue 15):
 *
 * <ul>
 *   <li>A: the same parallelism, 2 threads writing fragments from pre-built Arrow batches
 *       through a C stream, then one Append commit;
 *   <li>B: the naive glue, {@code collectAsList} to the driver, Arrow built there, one
 *       {@code Dataset.write} in APPEND mode.
 * </ul>
 *
 * <p>Reps alternate A, Spark, B; each path appends one batch per rep to its own table. Target:
 * Spark >= 0.8x A (median of the per-rep ratios). System properties: bench.spark.rows
 * (500000), bench.spark.dim (128), bench.spark.reps (5).
 */
final class SparkThroughputBench {
  private static final int PARTS = 2;
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  private SparkThroughputBench() {}

  static void run() throws Exception {
    int rows = Integer.getInteger("bench.spark.rows", 500_000);
    int dim = Integer.getInteger("bench.spark.dim", 128);
    int reps = Integer.getInteger("bench.spark.reps", 5);
    String loadBefore = loadAverage();
    Path work = Files.createTempDirectory("lance-sink-spark-tp-bench");
    SparkSession spark = SparkBenchSupport.session();
    ExecutorService pool = Executors.newFixedThreadPool(PARTS);
    // Input materialization, outside every timer: the DataFrame is persisted in memory and
    // counted (Spark and B read it from the cache), and A's Arrow batches are built once.
    Dataset<Row> df =
        SparkBenchSupport.rows(spark, 0, rows, dim, PARTS).persist(StorageLevel.MEMORY_ONLY());
    long counted = df.count();
    if (counted != rows) {
      throw new IllegalStateException("cached " + counted + " rows, expected " + rows);
    }
    String uriA = work.resolve("raw-parallel.lance").toString();
    String uriB = work.resolve("glue.lance").toString();
    LanceForeachBatch fn = LanceForeachBatch.builder()
        .settings(LanceSinkSettings.builder()
            .tableUri(work.resolve("spark.lance").toString())
            .writerId("bench")
            .vectorColumn("vector", dim)
            // no maintenance: the baselines build no index, and the default policy's background
            // index build would compete for the 2 cores and hold back writes (500k unindexed
            // rows per batch is above its 2x-of-100k stop)
            .optimizePolicy(OptimizePolicy.never())
            .build())
        .build();
    double[][] sec = new double[5][reps]; // A, Spark, B, Spark scan only, Spark convert only
    double[][] split = new double[3][reps]; // Spark: jobs' wall, longest task, tasks' CPU
    double[][] cpu = new double[2][reps]; // process CPU seconds of A and of Spark
    SparkJobTimer timer = new SparkJobTimer();
    spark.sparkContext().addSparkListener(timer);
    try (BufferAllocator alloc = new RootAllocator();
        SparkBaselines.Prebuilt input = new SparkBaselines.Prebuilt(alloc, rows, dim, PARTS)) {
      org.lance.Dataset[] tableA = {SparkBaselines.create(alloc, uriA, dim)};
      SparkBaselines.create(alloc, uriB, dim).close();
      // one untimed full-size batch per path: JIT, native library, the sink's table and ledger
      SparkBaselines.parallelAppend(alloc, uriA, tableA, input, pool);
      fn.call(df, 0L);
      SparkBaselines.collectAndWrite(alloc, uriB, df, dim);
      scanOnly(df);
      ConvertProbe.convertOnly(df, "vector", dim, rows);
      for (int r = 0; r < reps; r++) {
        long c0 = OS.getProcessCpuTime();
        sec[0][r] = SparkBaselines.parallelAppend(alloc, uriA, tableA, input, pool);
        cpu[0][r] = (OS.getProcessCpuTime() - c0) / 1e9;
        timer.reset();
        c0 = OS.getProcessCpuTime();
        long t0 = System.nanoTime();
        fn.call(df, r + 1L);
        sec[1][r] = (System.nanoTime() - t0) / 1e9;
        cpu[1][r] = (OS.getProcessCpuTime() - c0) / 1e9;
        timer.settle(1);
        split[0][r] = timer.jobSec();
        split[1][r] = timer.maxTaskSec();
        split[2][r] = timer.taskCpuSec();
        sec[2][r] = SparkBaselines.collectAndWrite(alloc, uriB, df, dim);
        sec[3][r] = scanOnly(df);
        sec[4][r] = ConvertProbe.convertOnly(df, "vector", dim, rows);
        System.out.printf("rep %d: A %.2f s, spark %.2f s (job %.2f, longest task %.2f, task CPU"
            + " %.2f), B %.2f s, scan %.2f s, convert %.2f s, spark/A %.3f%n", r, sec[0][r],
            sec[1][r], split[0][r], split[1][r], split[2][r], sec[2][r], sec[3][r], sec[4][r],
            sec[0][r] / sec[1][r]);
      }
      tableA[0].close();
    } finally {
      fn.close();
      pool.shutdownNow();
      df.unpersist(true);
    }
    report(rows, dim, reps, sec, split, cpu, loadBefore + " at the start, " + loadAverage()
        + " at the end");
    AppendBench.deleteTree(work);
    spark.stop();
  }

  /** Reads every cached row as Spark's internal rows, as the sink's tasks do, and writes none. */
  private static double scanOnly(Dataset<Row> df) {
    long t0 = System.nanoTime();
    df.queryExecution().toRdd().count();
    return (System.nanoTime() - t0) / 1e9;
  }

  /** The 1, 5 and 15 minute load averages (the host is shared; read the numbers with them). */
  static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (java.io.IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static void report(int rows, int dim, int reps, double[][] sec, double[][] split,
      double[][] cpu, String load) throws Exception {
    double[] ratioA = new double[reps];
    double[] ratioB = new double[reps];
    for (int r = 0; r < reps; r++) {
      ratioA[r] = sec[0][r] / sec[1][r]; // throughput ratio spark/A = time A / time spark
      ratioB[r] = sec[2][r] / sec[1][r];
    }
    Results t = new Results("Spark foreachBatch vs raw lance-core (" + rows + " rows x " + dim
            + "-d per batch, " + reps + " alternating reps A, Spark, B)",
            "path", "median rows/s", "min rows/s", "max rows/s", "median s");
    String[] names = {
        "A: raw lance-core, 2 threads (Fragment.write from pre-built Arrow, 1 Append commit)",
        "LanceForeachBatch, Spark local[2] (2 tasks, 1 commit)",
        "B: naive glue (collectAsList, Arrow on the driver, Dataset.write APPEND)",
        "diagnostic: Spark scan of the cached rows only (no Arrow, no write)",
        "diagnostic: Spark scan + the sink's Arrow conversion and vector checks (no write)"};
    for (int p = 0; p < names.length; p++) {
      double[] rate = Arrays.stream(sec[p]).map(s -> rows / s).toArray();
      t.row(names[p], Results.median(rate), min(rate), max(rate), Results.median(sec[p]));
    }
    t.row("ratio Spark/A (median of per-rep ratios; min; max)", Results.median(ratioA),
            min(ratioA), max(ratioA), "-")
        .row("ratio Spark/B (median of per-rep ratios; min; max)", Results.median(ratioB),
            min(ratioB), max(ratioB), "-")
        .note("Target: Spark/A >= 0.8. Per-rep Spark/A: " + list(ratioA) + ".")
        .note("Outside every timer: generating the rows, persisting the DataFrame in memory"
            + " (MEMORY_ONLY) and counting it; building A's Arrow batches (" + SparkBaselines.BATCH_ROWS
            + " rows each, the same values and the same 2-way split as the Spark partitions);"
            + " creating the tables; one untimed warm-up batch per path.")
        .note("Inside the timers: A, the 2 fragment writes (C stream export of the pre-built"
            + " batches, Lance encoding and file writes) and the Append commit on a kept handle;"
            + " Spark, the whole foreachBatch call (job on the cached rows, Arrow conversion and"
            + " vector checks in the tasks, fragment writes, ledger check and the commit with the"
            + " marker on the driver); B, collectAsList of the cached rows, building Arrow"
            + " batches on the driver and Dataset.write APPEND.")
        .note("Each path appends one batch per rep to its own table (3 tables). The sink runs"
            + " with OptimizePolicy.never(): no path builds an index or compacts.")
        .note(String.format("Where the Spark call's time goes (medians, Spark listener): its"
            + " job %.3f s wall, longest task %.3f s; the rest of the call (%.3f s) is the"
            + " driver: planning, ledger check, commit. (The tasks' executorCpuTime, %.3f s, counts"
            + " the Arrow conversion, which runs on the task threads while Lance encodes the"
            + " previous batch on a writer thread; Lance's encoding is not in it.)",
            Results.median(split[0]), Results.median(split[1]),
            Results.median(sec[1]) - Results.median(split[0]), Results.median(split[2])))
        .note(String.format("Process CPU (medians, all threads incl. Lance's native ones): A"
            + " %.3f s (%.2f of the 2 cores over its wall time), Spark %.3f s (%.2f cores).",
            Results.median(cpu[0]), Results.median(cpu[0]) / Results.median(sec[0]),
            Results.median(cpu[1]), Results.median(cpu[1]) / Results.median(sec[1])))
        .note("Load average (1, 5, 15 min): " + load + ".")
        .write("spark-vs-raw");
  }

  private static String list(double[] xs) {
    return String.join(", ", Arrays.stream(xs).mapToObj(x -> String.format("%.3f", x)).toList());
  }

  private static double min(double[] xs) {
    return Arrays.stream(xs).min().orElse(Double.NaN);
  }

  private static double max(double[] xs) {
    return Arrays.stream(xs).max().orElse(Double.NaN);
  }
}
