package io.github.lancesink.bench;

import io.github.lancesink.BatchResult;
import io.github.lancesink.LanceSink;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.TableStats;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

/**
 * The optimize cadence under a stream: N micro-batches of R rows (D-d clustered vectors), run
 * twice in one JVM, with {@code OptimizePolicy.defaults()} and with {@code never()}. Per window
 * of W batches: fragment count, commit p50/p99, ANN query p50/p99 and recall@10 against exact
 * (index-free) search. Ends with the same table freshly compacted and re-indexed as the query
 * baseline. System properties (defaults = the full size): bench.optimize.batches (1000),
 * .rows (2000), .dim (128), .window (100), .queries (20), .nprobes (20), .refine (10), .ef
 * (100, HNSW search breadth), .intervalMs (200: one micro-batch every 200 ms, a stream 300x
 * faster than a 1-minute trigger; 0 = back to back, which measures saturation rather than a
 * stream, because background maintenance then has no time between batches at all), .trace
 * (false: print every maintenance action with its duration).
 */
final class OptimizeBench {
  private OptimizeBench() {}

  static final int K = 10;

  /** What one run measured. */
  static final class Run {
    final String name;
    final List<double[]> windows = new ArrayList<>(); // per window: see COLUMNS
    final List<double[]> buckets = new ArrayList<>(); // per 10 batches: batch, fragments, p50
    double rowsPerSec;
    double streamSeconds;
    /** Seconds spent per maintenance action (successful and failed runs), in run order. */
    final java.util.Map<String, double[]> maintenance = new java.util.concurrent.ConcurrentSkipListMap<>();
    double freshP99 = Double.NaN;
    /** Batch commits that were retried (a conflict or a transient error), backoff included. */
    final java.util.concurrent.atomic.AtomicInteger commitRetries =
        new java.util.concurrent.atomic.AtomicInteger();
    /** Query p99 once background maintenance finished after the last batch, and the shape then. */
    double settledP99 = Double.NaN;
    double settledSeconds = Double.NaN;
    TableStats settled;

    Run(String name) {
      this.name = name;
    }
  }

  static void run() throws Exception {
    int batches = Integer.getInteger("bench.optimize.batches", 1000);
    int rows = Integer.getInteger("bench.optimize.rows", 2000);
    int dim = Integer.getInteger("bench.optimize.dim", 128);
    int window = Integer.getInteger("bench.optimize.window", 100);
    int queries = Integer.getInteger("bench.optimize.queries", 20);
    long intervalMs = Long.getLong("bench.optimize.intervalMs", 200);
    Path work = Files.createTempDirectory("lance-sink-optimize-bench");
    Clusters data = new Clusters(dim, 7);
    List<float[]> qs = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      qs.add(data.query(q));
    }
    List<List<Set<Long>>> truth = new ArrayList<>();
    try {
      Run withPolicy = stream("default", OptimizePolicy.defaults(), work, data, qs, truth,
          batches, rows, window, intervalMs);
      Run never = stream("never", OptimizePolicy.never(), work, data, qs, truth, batches, rows,
          window, intervalMs);
      OptimizeReport.write(withPolicy, never, batches, rows, dim, window, queries, intervalMs);
    } finally {
      AppendBench.deleteTree(work); // the two full-size tables take several GB
    }
  }

  private static Run stream(String name, OptimizePolicy policy, Path work, Clusters data,
      List<float[]> qs, List<List<Set<Long>>> truth, int batches, int rows, int window,
      long intervalMs) throws Exception {
    Run run = new Run(name);
    String uri = work.resolve(name + ".lance").toString();
    boolean computeTruth = truth.isEmpty();
    double writeSeconds = 0;
    List<Double> commitMs = new ArrayList<>();
    List<Double> bucketMs = new ArrayList<>();
    try (BufferAllocator alloc = new RootAllocator();
        LanceSink sink = LanceSink.builder().tableUri(uri).writerId("bench")
            .vectorColumn("vector", data.dim).optimizePolicy(policy).build()) {
      boolean trace = Boolean.getBoolean("bench.optimize.trace");
      java.util.concurrent.atomic.AtomicInteger inFlight =
          new java.util.concurrent.atomic.AtomicInteger();
      sink.events().on(io.github.lancesink.event.SinkEvent.MaintenancePlanned.class,
          e -> inFlight.addAndGet(e.actions().size()));
      sink.events().on(io.github.lancesink.event.SinkEvent.MaintenanceDeferred.class, e -> {
        if (e.retryAt().isEmpty()) {
          inFlight.decrementAndGet(); // budget or version bound: it did not run
        }
      });
      sink.events().on(io.github.lancesink.event.SinkEvent.RetryScheduled.class, e -> {
        run.commitRetries.incrementAndGet();
        if (trace) {
          System.out.printf("retry %s batch %d after %d ms: %s%n", name, e.batchId(),
              e.delay().toMillis(), e.reason());
        }
      });
      sink.events().on(io.github.lancesink.event.SinkEvent.MaintenanceRan.class, e -> {
        inFlight.decrementAndGet();
        if (trace) {
          System.out.printf("maintenance %s %s %d ms: %s%n", name, e.action(),
              e.took().toMillis(), e.detail());
        }
        double[] t = run.maintenance.computeIfAbsent(e.action(), k -> new double[2]);
        synchronized (t) {
          t[0] += 1;
          t[1] += e.took().toNanos() / 1e9;
        }
      });
      long streamStart = System.nanoTime();
      for (int b = 0; b < batches; b++) {
        long due = streamStart + b * intervalMs * 1_000_000L; // fixed rate; never catches up
        long wait = due - System.nanoTime();
        if (wait > 0) {
          Thread.sleep(wait / 1_000_000L, (int) (wait % 1_000_000L));
        }
        try (VectorSchemaRoot root = data.batch(alloc, (long) b * rows, rows, b);
            ArrowReader reader = BenchData.readerOf(root, alloc)) {
          long t0 = System.nanoTime();
          BatchResult r = sink.write(b, reader);
          writeSeconds += (System.nanoTime() - t0) / 1e9;
          double ms = r.commitDuration().toNanos() / 1e6;
          commitMs.add(ms);
          bucketMs.add(ms);
        }
        if ((b + 1) % 10 == 0) {
          TableStats s = sink.table().stats();
          run.buckets.add(new double[] {b + 1, s.fragments(), median(bucketMs)});
          bucketMs.clear();
        }
        if ((b + 1) % window == 0) {
          TableStats s = sink.table().stats();
          int w = (b + 1) / window - 1;
          if (computeTruth) {
            truth.add(exact(uri, qs));
          }
          double[] lat = new double[qs.size()];
          double recall = search(uri, qs, truth.get(w), lat);
          double[] c = commitMs.stream().mapToDouble(Double::doubleValue).toArray();
          run.windows.add(new double[] {b + 1, s.fragments(), s.versions(), s.unindexedRows(),
              s.indexDeltas(), Results.percentile(c, 50), Results.percentile(c, 99),
              Results.percentile(lat, 50), Results.percentile(lat, 99), recall});
          System.out.printf("%s batch %d: fragments %d, unindexed %d, deltas %d, commit p50 %.1f"
              + " ms p99 %.1f ms, query p50 %.1f ms p99 %.1f ms, recall@10 %.3f%n", name, b + 1,
              s.fragments(), s.unindexedRows(), s.indexDeltas(), Results.percentile(c, 50),
              Results.percentile(c, 99), Results.percentile(lat, 50),
              Results.percentile(lat, 99), recall);
          commitMs.clear();
        }
      }
      run.rowsPerSec = (double) batches * rows / writeSeconds;
      run.streamSeconds = (System.nanoTime() - streamStart) / 1e9;
      if (policy.enabled()) {
        // wait until the actions planned after the last batch have run (idle for 2 s in a row)
        long end = System.nanoTime();
        int idle = 0;
        while (idle < 20 && System.nanoTime() - end < 600_000_000_000L) {
          idle = inFlight.get() <= 0 ? idle + 1 : 0;
          Thread.sleep(100);
        }
        run.settledSeconds = (System.nanoTime() - end) / 1e9 - 2;
        run.settled = sink.table().stats();
        double[] lat = new double[qs.size()];
        search(uri, qs, null, lat);
        run.settledP99 = Results.percentile(lat, 99);
      }
    }
    if (policy.enabled()) {
      run.freshP99 = freshBaseline(uri, qs);
    }
    return run;
  }

  /** The same table compacted and re-indexed from scratch: the query p99 to compare with. */
  private static double freshBaseline(String uri, List<float[]> qs) throws Exception {
    try (io.github.lancesink.internal.lance.NativeLanceTable t =
        new io.github.lancesink.internal.lance.NativeLanceTable(uri, java.util.Map.of())) {
      TableStats s = t.stats();
      // close() waits only `budget` for background maintenance; a retrain may still be
      // finishing, and its commit conflicts with this compaction: retry until it is done.
      for (int attempt = 1; ; attempt++) {
        try {
          t.compact(OptimizePolicy.DEFAULT_TARGET_ROWS_PER_FRAGMENT, 0.0);
          break;
        } catch (io.github.lancesink.RetryableException e) {
          if (attempt == 60) {
            throw e;
          }
          Thread.sleep(5_000);
        }
      }
      var vector = t.indices().stream()
          .filter(i -> i.kind() == io.github.lancesink.spi.IndexState.Kind.VECTOR).findFirst();
      if (vector.isPresent()) {
        // a fresh index over every row, with the parameters AUTO derives for this row count
        long rows = t.stats().rows();
        t.createIndex(new io.github.lancesink.spi.IndexSpec(vector.get().column(),
            vector.get().name(), io.github.lancesink.spi.IndexState.Kind.VECTOR,
            io.github.lancesink.policy.VectorIndexType.IVF_SQ, (int) Math.max(1, rows / 4096),
            0, io.github.lancesink.policy.DistanceMetric.L2));
      }
      System.out.printf("fresh baseline: %d rows, %d -> %d fragments%n", s.rows(),
          s.fragments(), t.stats().fragments());
    }
    double[] lat = new double[qs.size()];
    search(uri, qs, null, lat);
    return Results.percentile(lat, 99);
  }

  /** Exact top-10 ids per query (no index: Lance scans every row). */
  private static List<Set<Long>> exact(String uri, List<float[]> qs) throws Exception {
    List<Set<Long>> out = new ArrayList<>();
    try (BufferAllocator a = new RootAllocator(); Dataset ds = Dataset.open(uri, a)) {
      for (float[] q : qs) {
        out.add(new HashSet<>(knn(ds, q, false)));
      }
    }
    return out;
  }

  /** ANN queries: fills per-query latency (ms) and returns mean recall@10 (NaN without truth). */
  private static double search(String uri, List<float[]> qs, List<Set<Long>> truth, double[] lat)
      throws Exception {
    double hits = 0;
    try (BufferAllocator a = new RootAllocator(); Dataset ds = Dataset.open(uri, a)) {
      knn(ds, qs.get(0), true); // warm the handle's caches once
      for (int i = 0; i < qs.size(); i++) {
        long t0 = System.nanoTime();
        List<Long> ids = knn(ds, qs.get(i), true);
        lat[i] = (System.nanoTime() - t0) / 1e6;
        if (truth != null) {
          hits += ids.stream().filter(truth.get(i)::contains).count();
        }
      }
    }
    return truth == null ? Double.NaN : hits / (qs.size() * (double) K);
  }

  private static List<Long> knn(Dataset ds, float[] q, boolean useIndex) throws Exception {
    Query query = new Query.Builder().setColumn("vector").setKey(q).setK(K)
        .setNprobes(Integer.getInteger("bench.optimize.nprobes", 20))
        .setRefineFactor(Integer.getInteger("bench.optimize.refine", 10))
        .setEf(Integer.getInteger("bench.optimize.ef", 100))
        .setUseIndex(useIndex).build();
    List<Long> ids = new ArrayList<>();
    try (LanceScanner s = ds.newScan(new ScanOptions.Builder().nearest(query)
            .columns(List.of("id")).build());
        ArrowReader r = s.scanBatches()) {
      while (r.loadNextBatch()) {
        BigIntVector v = (BigIntVector) r.getVectorSchemaRoot().getVector("id");
        for (int i = 0; i < v.getValueCount(); i++) {
          ids.add(v.get(i));
        }
      }
    }
    return ids;
  }

  private static double median(List<Double> xs) {
    return Results.median(xs.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Embedding-like data: 256 Gaussian cluster centres, rows = centre + noise. Deterministic. */
  static final class Clusters {
    final int dim;
    private final float[][] centres;

    Clusters(int dim, long seed) {
      this.dim = dim;
      SplittableRandom r = new SplittableRandom(seed);
      centres = new float[256][dim];
      for (float[] c : centres) {
        for (int j = 0; j < dim; j++) {
          c[j] = (float) r.nextGaussian();
        }
      }
    }

    float[] query(int n) {
      SplittableRandom r = new SplittableRandom(1_000_003L * (n + 1));
      float[] c = centres[r.nextInt(centres.length)];
      float[] q = new float[dim];
      for (int j = 0; j < dim; j++) {
        q[j] = c[j] + (float) (0.35 * r.nextGaussian());
      }
      return q;
    }

    VectorSchemaRoot batch(BufferAllocator alloc, long firstId, int rows, long seed) {
      VectorSchemaRoot root = BenchData.batch(alloc, firstId, rows, dim, seed);
      FixedSizeListVector vec = (FixedSizeListVector) root.getVector("vector");
      Float4Vector vals = (Float4Vector) vec.getDataVector();
      SplittableRandom r = new SplittableRandom(seed * 31 + 17);
      for (int i = 0; i < rows; i++) {
        float[] c = centres[r.nextInt(centres.length)];
        for (int j = 0; j < dim; j++) {
          vals.set(i * dim + j, c[j] + 0.35f * vals.get(i * dim + j));
        }
      }
      return root;
    }
  }
}
