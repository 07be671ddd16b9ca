package io.github.lancesink.bench;

import io.github.lancesink.LanceSink;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.LanceTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;

/**
 * Ledger lookup cost on a dataset with 10,000 versions. Cold = a new sink (new process view:
 * opens the dataset and walks back to this writer's marker); warm = the in-memory cache.
 * Filler versions are table-config commits by another party (no marker), so the walk depth is
 * controlled: 1 (the writer's own commit is the latest version), 51 and 999 (just inside the
 * default lookback of 1,000).
 */
final class LedgerBench {
  private LedgerBench() {}

  static void run() throws Exception {
    int versions = Integer.getInteger("bench.ledger.versions", 10_000);
    int reps = Integer.getInteger("bench.ledger.reps", 7);
    Path work = Files.createTempDirectory("lance-sink-ledger-bench");
    String uri = work.resolve("ledger.lance").toString();
    Results results = new Results("Ledger lookup on a dataset with ~" + versions + " versions",
        "case", "walk depth (versions read)", "dataset versions", "median", "p90");
    try (BufferAllocator alloc = new RootAllocator(); LanceSink writer = sink(uri)) {
      commit(writer, 0, alloc);
      long t0 = System.nanoTime();
      fill(writer.table(), versions - 1 - writer.table().latestVersion().getAsLong());
      System.out.printf("built %d filler versions in %.1f s%n", versions,
          (System.nanoTime() - t0) / 1e9);
      commit(writer, 1, alloc); // the marker is now the latest version
      long v = writer.table().latestVersion().getAsLong();
      results.row("cold, marker is the latest version", 1, v, ms(cold(uri, reps)), ms90);
      fill(writer.table(), 50);
      v = writer.table().latestVersion().getAsLong();
      results.row("cold, marker 50 versions back", 51, v, ms(cold(uri, reps)), ms90);
      fill(writer.table(), 948);
      v = writer.table().latestVersion().getAsLong();
      results.row("cold, marker 998 versions back (lookback edge)", 999, v,
          ms(cold(uri, reps)), ms90);
      // warm: answered from the cache
      writer.lastCommittedBatchId();
      int n = 200_000;
      double[] warm = new double[5];
      for (int r = 0; r < warm.length; r++) {
        long s = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < n; i++) {
          sum += writer.lastCommittedBatchId().getAsLong();
        }
        warm[r] = (System.nanoTime() - s) / (double) n;
        if (sum != n) {
          throw new IllegalStateException("unexpected ledger answer");
        }
      }
      results.row("warm (in-memory cache)", 0, v,
          String.format("%.3f us", Results.median(warm) / 1000),
          String.format("%.3f us", Results.percentile(warm, 90) / 1000));
      results.note("Target: cold lookup under 50 ms with the bounded walk; warm in microseconds.")
          .note("Cold includes opening the dataset from storage (new sink instance each rep); "
              + reps + " reps per case.")
          .write("ledger-lookup");
    } finally {
      AppendBench.deleteTree(work);
    }
  }

  private static String ms90 = "";

  private static String ms(double[] nanos) {
    ms90 = String.format("%.1f ms", Results.percentile(nanos, 90) / 1e6);
    return String.format("%.1f ms", Results.median(nanos) / 1e6);
  }

  private static double[] cold(String uri, int reps) {
    double[] out = new double[reps];
    for (int r = 0; r < reps; r++) {
      try (LanceSink s = sink(uri)) {
        long start = System.nanoTime();
        if (s.lastCommittedBatchId().orElse(-1) != 1) {
          throw new IllegalStateException("ledger did not find batch 1");
        }
        out[r] = System.nanoTime() - start;
      }
    }
    return out;
  }

  private static void fill(LanceTable table, long count) {
    for (long i = 0; i < count; i++) {
      table.updateConfig(Map.of("bench.filler", Long.toString(i)));
    }
  }

  private static void commit(LanceSink sink, long batch, BufferAllocator alloc) throws Exception {
    try (VectorSchemaRoot root = BenchData.batch(alloc, batch * 100, 100, 16, batch);
        ArrowReader r = BenchData.readerOf(root, alloc)) {
      if (!sink.write(batch, r).committed()) {
        throw new IllegalStateException("not committed");
      }
    }
  }

  private static LanceSink sink(String uri) {
    return LanceSink.builder().tableUri(uri).writerId("ledger-bench")
        .vectorColumn("vector", 16).optimizePolicy(OptimizePolicy.never()).build();
  }
}
