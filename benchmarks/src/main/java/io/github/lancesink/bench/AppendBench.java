package io.github.lancesink.bench;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.CommitBuilder;
import org.lance.Dataset;
import org.lance.Fragment;
import org.lance.FragmentMetadata;
import org.lance.Transaction;
import org.lance.WriteParams;
import org.lance.operation.Append;

/**
 * Sink append throughput against raw lance-core (Fragment.write + an Append commit carrying
 * transaction properties of the marker's size) on the same pre-built batches, alternating the
 * two in one run. Default: 20 batches x 10k rows x 128-d, 5 repetitions each. System
 * properties: bench.append.batches, .rows, .dim, .reps.
 */
final class AppendBench {
  private AppendBench() {}

  static void run() throws Exception {
    int batches = Integer.getInteger("bench.append.batches", 20);
    int rows = Integer.getInteger("bench.append.rows", 10_000);
    int dim = Integer.getInteger("bench.append.dim", 128);
    int reps = Integer.getInteger("bench.append.reps", 5);
    Path work = Files.createTempDirectory("lance-sink-append-bench");
    try (BufferAllocator alloc = new RootAllocator()) {
      List<VectorSchemaRoot> data = new ArrayList<>();
      for (int b = 0; b < batches; b++) {
        data.add(BenchData.batch(alloc, (long) b * rows, rows, dim, b));
      }
      long totalRows = (long) batches * rows;
      // warm-up: one short run of each (JIT, native library load)
      rep(work, "warm", data.subList(0, 3), alloc);
      double[] rawRate = new double[reps];
      double[] sinkRate = new double[reps];
      double[] ratio = new double[reps];
      double[] cpuRatio = new double[reps];
      for (int r = 0; r < reps; r++) {
        writeNanos = 0;
        commitNanos = 0;
        double[] t = rep(work, Integer.toString(r), data, alloc);
        System.out.printf("  sink per batch: total %.1f ms, write %.1f ms, commit %.1f ms%n",
            t[1] * 1000 / batches, writeNanos / 1e6 / batches, commitNanos / 1e6 / batches);
        rawRate[r] = totalRows / t[0];
        sinkRate[r] = totalRows / t[1];
        ratio[r] = sinkRate[r] / rawRate[r];
        cpuRatio[r] = t[2] / t[3];
        System.out.printf("rep %d: raw %.0f rows/s, sink %.0f rows/s, ratio %.3f,"
            + " process CPU raw/sink %.3f%n", r, rawRate[r], sinkRate[r], ratio[r], cpuRatio[r]);
      }
      data.forEach(VectorSchemaRoot::close);
      new Results("Sink append vs raw lance-core (" + batches + " batches x " + rows + " rows x "
              + dim + "-d, " + reps + " reps, batches interleaved)",
              "path", "median", "min", "max")
          .row("raw lance-core (Fragment.write + Append commit with properties), rows/s",
              Results.median(rawRate), min(rawRate), max(rawRate))
          .row("LanceSink.write (ledger + validation + marker), rows/s",
              Results.median(sinkRate), min(sinkRate), max(sinkRate))
          .row("ratio sink/raw, wall clock (median of per-rep ratios)", Results.median(ratio),
              min(ratio), max(ratio))
          .row("ratio sink/raw, process CPU time (raw CPU / sink CPU)", Results.median(cpuRatio),
              min(cpuRatio), max(cpuRatio))
          .note("Target: wall-clock ratio >= 0.97. Each rep writes two fresh datasets; within a"
              + " rep the raw and sink writes of each batch run back to back, in alternating"
              + " order, so both paths see the same machine load.")
          .note("Process CPU time (all JVM and Lance threads) is less sensitive than wall clock"
              + " to other processes on a shared machine.")
          .write("append-vs-raw");
    } finally {
      deleteTree(work);
    }
  }

  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean)
          java.lang.management.ManagementFactory.getOperatingSystemMXBean();

  /**
   * One rep: every batch goes to a fresh raw dataset and to a fresh sink table, back to back,
   * alternating which goes first. Returns {raw s, sink s, raw CPU s, sink CPU s}.
   */
  private static double[] rep(Path work, String name, List<VectorSchemaRoot> data,
      BufferAllocator alloc) throws Exception {
    String rawUri = work.resolve("raw-" + name + ".lance").toString();
    String sinkUri = work.resolve("sink-" + name + ".lance").toString();
    double[] t = new double[4];
    Dataset[] raw = {null};
    try (LanceSink sink = LanceSink.builder().tableUri(sinkUri).writerId("bench")
        .vectorColumn("vector", ((org.apache.arrow.vector.complex.FixedSizeListVector)
            data.get(0).getVector("vector")).getListSize())
        .optimizePolicy(OptimizePolicy.never()).build()) {
      for (int b = 0; b < data.size(); b++) {
        VectorSchemaRoot root = data.get(b);
        long batch = b;
        Runnable rawStep = () -> raw[0] = rawBatch(rawUri, raw[0], root, batch, alloc);
        Runnable sinkStep = () -> sinkBatch(sink, root, batch, alloc);
        if (b % 2 == 0) {
          timed(rawStep, t, 0);
          timed(sinkStep, t, 1);
        } else {
          timed(sinkStep, t, 1);
          timed(rawStep, t, 0);
        }
      }
      long cpu = OS.getProcessCpuTime();
      long wall = System.nanoTime();
      raw[0].close();
      t[0] += (System.nanoTime() - wall) / 1e9;
      t[2] += (OS.getProcessCpuTime() - cpu) / 1e9;
      cpu = OS.getProcessCpuTime();
      wall = System.nanoTime();
      sink.close();
      t[1] += (System.nanoTime() - wall) / 1e9;
      t[3] += (OS.getProcessCpuTime() - cpu) / 1e9;
    }
    return t;
  }

  private static void timed(Runnable step, double[] t, int path) {
    long cpu = OS.getProcessCpuTime();
    long wall = System.nanoTime();
    step.run();
    t[path] += (System.nanoTime() - wall) / 1e9;
    t[path + 2] += (OS.getProcessCpuTime() - cpu) / 1e9;
  }

  /** Raw lance-core: creates the dataset on the first batch, then write + Append commit. */
  private static Dataset rawBatch(String uri, Dataset ds, VectorSchemaRoot root, long batch,
      BufferAllocator alloc) {
    if (ds == null) {
      ds = Dataset.write().allocator(alloc).schema(root.getSchema()).uri(uri)
          .mode(WriteParams.WriteMode.CREATE).execute();
    }
    List<FragmentMetadata> frags =
        Fragment.write().datasetUri(uri).allocator(alloc).data(root).execute();
    try (Transaction txn = new Transaction.Builder().readVersion(ds.version())
        .operation(Append.builder().fragments(frags).build())
        .transactionProperties(rawProperties(batch, root.getRowCount())).build()) {
      Dataset next = new CommitBuilder(ds).execute(txn);
      ds.close();
      return next;
    }
  }

  /** As many properties, of about the same size, as the sink's marker. */
  private static java.util.Map<String, String> rawProperties(long batch, int rows) {
    return java.util.Map.of("raw.writer", "bench", "raw.batch", Long.toString(batch),
        "raw.lineage", "default", "raw.attempt", java.util.UUID.randomUUID().toString(),
        "raw.rows", Integer.toString(rows), "raw.mode", "append", "raw.version", "0.1.0");
  }

  private static void sinkBatch(LanceSink sink, VectorSchemaRoot root, long batch,
      BufferAllocator alloc) {
    try (ArrowReader reader = BenchData.readerOf(root, alloc)) {
      BatchResult r = sink.write(batch, reader);
      writeNanos += r.writeDuration().toNanos();
      commitNanos += r.commitDuration().toNanos();
      if (!r.committed()) {
        throw new IllegalStateException("batch not committed: " + r);
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static long writeNanos;
  static long commitNanos;

  static double min(double[] xs) {
    return java.util.Arrays.stream(xs).min().orElse(Double.NaN);
  }

  static double max(double[] xs) {
    return java.util.Arrays.stream(xs).max().orElse(Double.NaN);
  }

  static void deleteTree(Path p) throws java.io.IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
    }
  }
}
