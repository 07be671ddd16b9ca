package io.github.lancesink.bench;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spark.DistributedMaintenance;
import io.github.lancesink.spark.LanceForeachBatch;
import io.github.lancesink.spark.internal.SparkMaintenanceWorkers;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.TableMaintenance;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

/**
 * Maintenance actions in driver mode against distributed mode (Spark jobs at local[2]): wall
 * time per action, CPU time of the thread that runs the action (the sink's maintenance thread;
 * in distributed mode it only plans, waits and commits), process CPU, and the executor time the
 * tasks took (sum of Spark's executorRunTime), from which the per-core rates of the capacity
 * model in docs/distributed-maintenance.md are computed. Actions: compaction of 10k-row
 * fragments into four groups, and an IVF_SQ build (one partition per 4,096 rows) over them.
 * System properties: bench.md.rows (200000), bench.md.batch (10000), bench.md.dims (128,768),
 * bench.md.rows768 (rows at 768-d, default rows / 2).
 */
final class MaintenanceDistributedBench {
  private MaintenanceDistributedBench() {}

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  static void run() throws Exception {
    int rows0 = Integer.getInteger("bench.md.rows", 200_000);
    int batch = Integer.getInteger("bench.md.batch", 10_000);
    SparkSession spark = SparkBenchSupport.session();
    AtomicLong taskMs = new AtomicLong();
    AtomicLong tasks = new AtomicLong();
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override
      public void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.taskMetrics() != null) { // only the measured action runs jobs while counting
          taskMs.addAndGet(e.taskMetrics().executorRunTime());
          tasks.incrementAndGet();
        }
      }
    });
    Results table = new Results("Maintenance per action: driver mode vs distributed (local[2])",
        "dim", "rows", "action", "mode", "wall s", "maintenance-thread CPU s", "process CPU s",
        "tasks", "task time s", "rows/s per task-core");
    Path work = Files.createTempDirectory("lance-sink-md-bench");
    try {
      for (String d : System.getProperty("bench.md.dims", "128,768").split(",")) {
        int dim = Integer.parseInt(d.trim());
        int rows = dim >= 768 ? Integer.getInteger("bench.md.rows768", rows0 / 2) : rows0;
        Path base = work.resolve("base-" + dim + ".lance");
        fill(spark, base.toString(), rows, batch, dim);
        IndexSpec spec = new IndexSpec("vector", "vector_idx", IndexState.Kind.VECTOR,
            VectorIndexType.IVF_SQ, Math.max(1, rows / 4096), 0, DistanceMetric.L2);
        long target = Math.max(batch * 2L, rows / 4);
        for (String mode : List.of("driver", "distributed x1", "distributed x2")) {
          int slots = mode.endsWith("x2") ? 2 : 1;
          measure(table, spark, work, base, dim, rows, "compact to " + target + " rows", mode,
              slots, m -> m.compact(target, 0.1), taskMs, tasks);
          measure(table, spark, work, base, dim, rows, "IVF_SQ build, " + spec.partitions()
              + " partitions", mode, slots, m -> m.createIndex(spec), taskMs, tasks);
        }
        AppendBench.deleteTree(base);
      }
    } finally {
      AppendBench.deleteTree(work);
    }
    table.note("maintenance-thread CPU: CPU time of the thread that ran the action (the sink's"
        + " maintenance thread). In distributed mode it plans, waits for the job and commits;"
        + " the rewrite, training, segment builds and segment merge run in Spark tasks.");
    table.note("local[2]: the executor tasks run in the driver's JVM, so process CPU does not"
        + " drop; on a cluster it moves to the executors. 'distributed x1' is the default cap at"
        + " local[2] (cores - 1, one core left for micro-batches); 'x2' lets a job use both.");
    table.note("rows/s per task-core: rows the action read / summed executorRunTime of its"
        + " tasks; for the index build the tasks are training, segment builds and the merge.");
    table.write("maintenance-distributed");
  }

  private static final String POOL = "bench-maintenance";

  private static void measure(Results table, SparkSession spark, Path work, Path base, int dim,
      int rows, String action, String mode, int slots, Consumer<TableMaintenance> op,
      AtomicLong taskMs, AtomicLong tasks) throws Exception {
    Path copy = work.resolve("run.lance");
    AppendBench.deleteTree(copy);
    copyTree(base, copy);
    boolean distributed = !mode.equals("driver");
    DistributedMaintenance settings = DistributedMaintenance.builder().pool(POOL)
        .maxConcurrentTasks(slots).minRowsPerJob(0).build();
    try (NativeLanceTable t = distributed
        ? new NativeLanceTable(copy.toString(), Map.of(),
            new SparkMaintenanceWorkers(spark.sparkContext(), settings))
        : new NativeLanceTable(copy.toString(), Map.of())) {
      TableMaintenance m = t.maintenance().orElseThrow();
      taskMs.set(0);
      tasks.set(0);
      long cpu0 = THREADS.getCurrentThreadCpuTime();
      long proc0 = OS.getProcessCpuTime();
      long t0 = System.nanoTime();
      op.accept(m);
      double wall = (System.nanoTime() - t0) / 1e9;
      double cpu = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e9;
      double proc = (OS.getProcessCpuTime() - proc0) / 1e9;
      double taskS = taskMs.get() / 1e3;
      table.row(dim, rows, action, mode, wall, cpu, proc, distributed ? tasks.get() : "-",
          distributed ? taskS : wall, Math.round(rows / (distributed ? taskS : wall)));
      System.out.printf("  %d-d %s %s: %.2f s wall, %.2f s thread CPU%n", dim, action, mode,
          wall, cpu);
    } finally {
      AppendBench.deleteTree(copy);
    }
  }

  private static void fill(SparkSession spark, String uri, int rows, int batch, int dim) {
    LanceSinkSettings s = LanceSinkSettings.builder().tableUri(uri).writerId("md-bench")
        .vectorColumn("vector", dim).optimizePolicy(OptimizePolicy.never()).build();
    try (LanceForeachBatch fn = LanceForeachBatch.builder().settings(s).build()) {
      for (int b = 0; b * batch < rows; b++) {
        long from = (long) b * batch;
        fn.call(spark.range(from, Math.min(rows, from + batch), 1, 1).selectExpr("id",
            "concat('item-', id) AS name", "transform(sequence(0, " + (dim - 1)
                + "), i -> CAST((hash(id, i) % 10007) / 10007.0 AS FLOAT)) AS vector"),
            (long) b);
      }
    }
  }

  private static void copyTree(Path from, Path to) throws Exception {
    List<Path> all = new ArrayList<>();
    try (var s = Files.walk(from)) {
      s.forEach(all::add);
    }
    for (Path p : all) {
      Path dst = to.resolve(from.relativize(p).toString());
      if (Files.isDirectory(p)) {
        Files.createDirectories(dst);
      } else {
        Files.copy(p, dst, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }
}
