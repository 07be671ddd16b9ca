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
 * Sink append throughput against raw lance-core (Fragment.write + Append commit) on the same
 * pre-built batches, alternating the two in one run. Default: 50 batches x 10k rows x 128-d,
 * 5 repetitions each. System properties: bench.append.batches, .rows, .dim, .reps.
 */
final class AppendBench {
  private AppendBench() {}

  static void run() throws Exception {
    int batches = Integer.getInteger("bench.append.batches", 50);
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
      raw(work.resolve("warm-raw.lance").toString(), data.subList(0, 3), alloc);
      sink(work.resolve("warm-sink.lance").toString(), data.subList(0, 3), alloc);
      double[] rawRate = new double[reps];
      double[] sinkRate = new double[reps];
      double[] ratio = new double[reps];
      for (int r = 0; r < reps; r++) {
        double rawSec = raw(work.resolve("raw-" + r + ".lance").toString(), data, alloc);
        writeNanos = 0;
        commitNanos = 0;
        double sinkSec = sink(work.resolve("sink-" + r + ".lance").toString(), data, alloc);
        System.out.printf("  sink per batch: total %.1f ms, write %.1f ms, commit %.1f ms%n",
            sinkSec * 1000 / batches, writeNanos / 1e6 / batches, commitNanos / 1e6 / batches);
        rawRate[r] = totalRows / rawSec;
        sinkRate[r] = totalRows / sinkSec;
        ratio[r] = sinkRate[r] / rawRate[r];
        System.out.printf("rep %d: raw %.0f rows/s, sink %.0f rows/s, ratio %.3f%n",
            r, rawRate[r], sinkRate[r], ratio[r]);
      }
      data.forEach(VectorSchemaRoot::close);
      new Results("Sink append vs raw lance-core (" + batches + " batches x " + rows + " rows x "
              + dim + "-d, " + reps + " alternating reps)",
              "path", "median rows/s", "min rows/s", "max rows/s")
          .row("raw lance-core (Fragment.write + Append commit)", Results.median(rawRate),
              min(rawRate), max(rawRate))
          .row("LanceSink.write (ledger + validation + marker)", Results.median(sinkRate),
              min(sinkRate), max(sinkRate))
          .row("ratio sink/raw (median of per-rep ratios)", Results.median(ratio), min(ratio),
              max(ratio))
          .note("Target: ratio >= 0.95. Each rep writes a fresh dataset; raw and sink alternate.")
          .write("append-vs-raw");
    } finally {
      deleteTree(work);
    }
  }

  private static double raw(String uri, List<VectorSchemaRoot> data, BufferAllocator alloc) {
    long start = System.nanoTime();
    Dataset ds = Dataset.write().allocator(alloc).schema(data.get(0).getSchema()).uri(uri)
        .mode(WriteParams.WriteMode.CREATE).execute();
    for (VectorSchemaRoot root : data) {
      List<FragmentMetadata> frags =
          Fragment.write().datasetUri(uri).allocator(alloc).data(root).execute();
      try (Transaction txn = new Transaction.Builder().readVersion(ds.version())
          .operation(Append.builder().fragments(frags).build()).build()) {
        Dataset next = new CommitBuilder(ds).execute(txn);
        ds.close();
        ds = next;
      }
    }
    ds.close();
    return (System.nanoTime() - start) / 1e9;
  }

  private static double sink(String uri, List<VectorSchemaRoot> data, BufferAllocator alloc)
      throws Exception {
    long start = System.nanoTime();
    try (LanceSink sink = LanceSink.builder().tableUri(uri).writerId("bench")
        .vectorColumn("vector", ((org.apache.arrow.vector.complex.FixedSizeListVector)
            data.get(0).getVector("vector")).getListSize())
        .optimizePolicy(OptimizePolicy.never()).build()) {
      long b = 0;
      for (VectorSchemaRoot root : data) {
        try (ArrowReader reader = BenchData.readerOf(root, alloc)) {
          BatchResult r = sink.write(b++, reader);
          writeNanos += r.writeDuration().toNanos();
          commitNanos += r.commitDuration().toNanos();
          if (!r.committed()) {
            throw new IllegalStateException("batch not committed: " + r);
          }
        }
      }
    }
    return (System.nanoTime() - start) / 1e9;
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
