package io.github.lancesink.bench;

import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.lance.Dataset;
import org.lance.WriteParams;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

/** ANN and exact queries for the optimize benchmark, and the freshly rebuilt baseline table. */
final class OptimizeQueries {
  private OptimizeQueries() {}

  static final int K = 10;

  /** ANN queries on the latest version: fills per-query latency (ms), returns the ids found. */
  static List<List<Long>> search(String uri, List<float[]> qs, double[] lat) throws Exception {
    List<List<Long>> out = new ArrayList<>();
    try (BufferAllocator a = new RootAllocator(); Dataset ds = Dataset.open(uri, a)) {
      knn(ds, qs.get(0), true); // warm the handle's caches once
      for (int i = 0; i < qs.size(); i++) {
        long t0 = System.nanoTime();
        out.add(knn(ds, qs.get(i), true));
        lat[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    return out;
  }

  /** Exact top-10 ids per query at {@code version} (no index: Lance scans every row). */
  static List<Set<Long>> exact(String uri, long version, List<float[]> qs) throws Exception {
    List<Set<Long>> out = new ArrayList<>();
    try (BufferAllocator a = new RootAllocator(); Dataset latest = Dataset.open(uri, a);
        Dataset ds = latest.checkoutVersion(version)) {
      for (float[] q : qs) {
        out.add(new HashSet<>(knn(ds, q, false)));
      }
    }
    return out;
  }

  /** Mean recall@10 of {@code found} against {@code truth}. */
  static double recall(List<List<Long>> found, List<Set<Long>> truth) {
    double hits = 0;
    for (int i = 0; i < found.size(); i++) {
      hits += found.get(i).stream().filter(truth.get(i)::contains).count();
    }
    return hits / (found.size() * (double) K);
  }

  /**
   * Query p99 of a freshly compacted and indexed copy of {@code uri} at {@code version}: every
   * row rewritten into fragments of the default target size, then one vector index built over
   * all of them with the parameters AUTO derives for that row count. The copy is deleted after.
   */
  static double freshP99(String uri, long version, Path dir, List<float[]> qs) throws Exception {
    String copy = dir.toString();
    long rows;
    try (BufferAllocator a = new RootAllocator(); Dataset latest = Dataset.open(uri, a);
        Dataset at = latest.checkoutVersion(version);
        LanceScanner scan = at.newScan(new ScanOptions.Builder().build());
        ArrowArrayStream stream = ArrowArrayStream.allocateNew(a)) {
      // the exported stream owns the reader: Lance releases it, which closes the reader
      Data.exportArrayStream(a, scan.scanBatches(), stream);
      int target = (int) OptimizePolicy.DEFAULT_TARGET_ROWS_PER_FRAGMENT;
      try (Dataset fresh = Dataset.create(a, stream, copy,
          new WriteParams.Builder().withMaxRowsPerFile(target).build())) {
        rows = fresh.countRows();
      }
    }
    try {
      try (NativeLanceTable t = new NativeLanceTable(copy, Map.of())) {
        t.maintenance().orElseThrow().createIndex(new IndexSpec("vector", "vector_idx", IndexState.Kind.VECTOR,
            VectorIndexType.IVF_SQ, (int) Math.max(1, rows / 4096), 0, DistanceMetric.L2));
      }
      double[] lat = new double[qs.size()];
      search(copy, qs, lat);
      return Results.percentile(lat, 99);
    } finally {
      AppendBench.deleteTree(dir);
    }
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
}
