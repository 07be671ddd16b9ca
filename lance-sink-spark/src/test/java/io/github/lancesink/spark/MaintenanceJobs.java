package io.github.lancesink.spark;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.policy.OptimizePolicy;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

/**
 * What the distributed maintenance tests observe: Spark jobs submitted to a scheduler pool (seen
 * through a real {@link SparkListener}), table contents, and ANN recall.
 */
final class MaintenanceJobs extends SparkListener {
  final String pool;
  final Set<Integer> jobs = ConcurrentHashMap.newKeySet();
  final List<String> descriptions = new CopyOnWriteArrayList<>();
  final AtomicInteger tasksSucceeded = new AtomicInteger();
  final AtomicInteger tasksFailed = new AtomicInteger();
  final Map<Integer, Integer> stageJob = new ConcurrentHashMap<>();
  final AtomicInteger running = new AtomicInteger();
  final AtomicInteger jobsEnded = new AtomicInteger();

  MaintenanceJobs(String pool) {
    this.pool = pool;
    TestSpark.session().sparkContext().addSparkListener(this);
  }

  void stop() {
    TestSpark.session().sparkContext().removeSparkListener(this);
  }

  @Override
  public void onJobStart(SparkListenerJobStart e) {
    if (e.properties() != null && pool.equals(e.properties().getProperty("spark.scheduler.pool"))) {
      jobs.add(e.jobId());
      running.incrementAndGet();
      descriptions.add(String.valueOf(e.properties().getProperty("spark.job.description")));
      // the Scala iterator, not a converter: it compiles on Scala 2.12 and 2.13 alike
      scala.collection.Iterator<Object> stages = e.stageIds().iterator();
      while (stages.hasNext()) {
        stageJob.put((Integer) stages.next(), e.jobId());
      }
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd e) {
    if (jobs.contains(e.jobId())) {
      running.decrementAndGet();
      jobsEnded.incrementAndGet();
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd e) {
    if (stageJob.containsKey(e.stageId())) {
      if (e.taskInfo().successful()) {
        tasksSucceeded.incrementAndGet();
      } else {
        tasksFailed.incrementAndGet();
      }
    }
  }

  /** Rows [from, to) with pseudo-random 'dim'-d vectors (hash of id and position). */
  static Dataset<Row> rows(long from, long to, int dim) {
    return TestSpark.session().range(from, to).selectExpr("id", "concat('item-', id) AS name",
        "transform(sequence(0, " + (dim - 1) + "), i -> CAST((hash(id, i) % 10007) / 10007.0"
            + " AS FLOAT)) AS vector").coalesce(1);
  }

  /** Writes {@code batches} batches of {@code rows} rows with maintenance off. */
  static void fill(String uri, int batches, int rows, int dim) {
    fill(uri, 0, batches, rows, dim);
  }

  /**
   * Like {@link #fill(String, int, int, int)} from batch id {@code first} on: batch b holds
   * rows [b * rows, (b + 1) * rows), so a later call continues the table.
   */
  static void fill(String uri, int first, int batches, int rows, int dim) {
    LanceSinkSettings s = LanceSinkSettings.builder().tableUri(uri).writerId("fill")
        .vectorColumn("vector", dim).optimizePolicy(OptimizePolicy.never()).build();
    try (LanceForeachBatch fn = LanceForeachBatch.builder().settings(s).build()) {
      for (int b = first; b < first + batches; b++) {
        fn.call(rows((long) b * rows, (long) (b + 1) * rows, dim), (long) b);
      }
    }
  }

  /** The first {@code n} vectors of rows(0, n) as queries (recomputed through Spark). */
  static List<float[]> queries(long from, int n, int dim) {
    List<float[]> out = new ArrayList<>();
    for (Row r : rows(from, from + n, dim).collectAsList()) {
      List<Object> v = r.getList(2);
      float[] q = new float[dim];
      for (int i = 0; i < dim; i++) {
        q[i] = ((Float) v.get(i)) + 0.01f;
      }
      out.add(q);
    }
    return out;
  }

  /** Mean recall@10 of the index against an exact search, probing {@code nprobes} lists. */
  static double recall(String uri, List<float[]> queries, int nprobes) throws Exception {
    double hits = 0;
    try (BufferAllocator a = new RootAllocator();
        org.lance.Dataset ds = org.lance.Dataset.open(uri, a)) {
      for (float[] q : queries) {
        Set<Long> exact = new HashSet<>(knn(ds, q, false, nprobes));
        hits += knn(ds, q, true, nprobes).stream().filter(exact::contains).count();
      }
    }
    return hits / (queries.size() * 10.0);
  }

  private static List<Long> knn(org.lance.Dataset ds, float[] q, boolean index, int nprobes)
      throws Exception {
    Query query = new Query.Builder().setColumn("vector").setKey(q).setK(10)
        .setNprobes(nprobes).setUseIndex(index).build();
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

  /**
   * The table's shape at {@code version}: fragments, and rows outside the vector index (-1
   * while there is no vector index).
   */
  static long[] shapeAt(String uri, long version) throws Exception {
    try (BufferAllocator a = new RootAllocator();
        org.lance.Dataset ds = org.lance.Dataset.open(uri, a);
        org.lance.Dataset at = ds.checkoutVersion(version)) {
      long physical = 0;
      for (org.lance.Fragment f : at.getFragments()) {
        physical += f.metadata().getPhysicalRows();
      }
      long indexed = -1;
      for (org.lance.index.IndexDescription d : at.describeIndices()) {
        if (d.getIndexType().toUpperCase(java.util.Locale.ROOT).contains("IVF")) {
          indexed = Math.max(indexed, d.getRowsIndexed());
        }
      }
      return new long[] {at.getFragments().size(), indexed < 0 ? -1 : physical - indexed};
    }
  }

  /** The operation names of versions (from, to], e.g. Append, Rewrite, CreateIndex. */
  static List<String> operations(String uri, long from, long to) throws Exception {
    List<String> out = new ArrayList<>();
    try (BufferAllocator a = new RootAllocator();
        org.lance.Dataset ds = org.lance.Dataset.open(uri, a)) {
      for (long v = from + 1; v <= to; v++) {
        try (org.lance.Dataset at = ds.checkoutVersion(v)) {
          var txn = at.readTransaction();
          if (txn.isPresent()) {
            try (org.lance.Transaction t = txn.get()) {
              out.add(t.operation().name());
            }
          } else {
            out.add("?");
          }
        }
      }
    }
    return out;
  }
}
