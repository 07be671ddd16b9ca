package io.github.lancesink.bench;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.spark.BatchReport;
import io.github.lancesink.spark.LanceForeachBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.storage.StorageLevel;

/**
 * Freshness of a Delta change feed streamed into Lance under a steady producer: for each target
 * rate and trigger, a producer appends to Delta at that rate while a stream writes the change
 * feed to Lance through {@link LanceForeachBatch} with the default optimize policy, and every
 * committed batch reports the lag from its newest {@code _commit_timestamp} to its Lance
 * commit. Target: p99 <= trigger + 1 s.
 *
 * <p>The producer keeps the rate with a paced loop: each Delta commit carries the rows due since
 * the last one (rate x elapsed), taken from a pool of rows generated and cached before the
 * timer, with ids shifted so every row is new. A slow Delta commit therefore makes the next
 * commit bigger instead of lowering the rate (the earlier version generated 2,000 rows per
 * commit and reached 460 rows/s). System properties: bench.spark.freshness.seconds (60),
 * bench.spark.freshness.rates (2000,10000 rows/s), bench.spark.freshness.triggers (1,5 s),
 * bench.spark.freshness.commit-ms (1000: the producer's commit interval),
 * bench.spark.freshness.policies (default; "default,never" adds OptimizePolicy.never() cells),
 * bench.spark.dim (128).
 */
final class SparkFreshnessBench {
  private SparkFreshnessBench() {}

  static final ConcurrentLinkedQueue<BatchReport> REPORTS = new ConcurrentLinkedQueue<>();

  static void run() throws Exception {
    int seconds = Integer.getInteger("bench.spark.freshness.seconds", 60);
    List<Integer> rates = ints(System.getProperty("bench.spark.freshness.rates", "2000,10000"));
    List<Integer> triggers = ints(System.getProperty("bench.spark.freshness.triggers", "1,5"));
    int commitMs = Integer.getInteger("bench.spark.freshness.commit-ms", 1_000);
    List<String> policies =
        List.of(System.getProperty("bench.spark.freshness.policies", "default").split(","));
    int dim = Integer.getInteger("bench.spark.dim", 128);
    SparkSession spark = SparkBenchSupport.session();
    Results table = new Results("Spark change-feed freshness (" + seconds + " s per cell, at"
            + " least 24 trigger intervals, "
            + dim + "-d, producer commits every " + commitMs + " ms)", "policy", "target rows/s",
        "achieved rows/s", "trigger s", "batches", "p50 lag ms", "p99 lag ms", "max lag ms",
        "target p99 ms", "met", "sink p50 ms", "sink p99 ms", "maintenance s", "stalls");
    for (int rate : rates) {
      // the pool: 10 s of rows at this rate, cached; a commit late by more than that loses rate
      int poolRows = Math.max(rate * 10, 1_000);
      Dataset<Row> pool = SparkBenchSupport.rows(spark, 0, poolRows, dim, 2)
          .persist(StorageLevel.MEMORY_ONLY());
      pool.count();
      for (int trigger : triggers) {
        for (String policy : policies) {
          String name = policy.trim();
          // at least 24 trigger intervals, so a 5 s trigger's p99 is not just one batch
          int cellSeconds = Math.max(seconds, Math.min(trigger * 24, 300));
          Cell c = runCell(spark, pool, poolRows, rate, trigger, cellSeconds, commitMs, dim,
              !name.equals("never"));
          long target = trigger * 1_000L + 1_000;
          long p99 = pct(c.lags, 0.99);
          table.row(name, rate, Math.round(c.achieved), trigger, c.lags.size(),
              pct(c.lags, 0.50), p99, c.lags.isEmpty() ? 0 : c.lags.get(c.lags.size() - 1),
              target, !c.lags.isEmpty() && p99 <= target ? "yes" : "no", pct(c.sink, 0.50),
              pct(c.sink, 0.99), String.format("%.1f", c.maintenanceSeconds), c.stalls);
          System.out.println("  maintenance actions: " + c.actions);
          System.out.printf("FreshnessBench %s rate %d (achieved %.0f) trigger %d s: %d"
              + " batches, p50 %d ms, p99 %d ms, sink p50 %d ms%n", name, rate, c.achieved,
              trigger, c.lags.size(), pct(c.lags, 0.50), p99, pct(c.sink, 0.50));
        }
      }
      pool.unpersist(true);
    }
    table.note("Lag = the Lance commit's time - the newest _commit_timestamp in the batch,"
            + " over every committed batch but the first (stream start, table creation);"
            + " target p99 <= trigger + 1 s. Sink = the batch's write + commit durations as the"
            + " sink reports them (the Spark job that writes the fragments, the ledger check, a"
            + " write stall if any, the commit); the rest of the lag is the wait for the trigger"
            + " and Delta's change-feed read. Maintenance s: the time of the maintenance actions"
            + " that ran (from the second batch on); stalls: batches that waited at a"
            + " write-stall bound.")
        .note("The producer runs in the same JVM and Spark session (local[2]) as the stream, so"
            + " its Delta commits share the 2 cores with the stream's batches; rows come from a"
            + " pool generated and cached before the timer, ids shifted per commit.")
        .note("Policy default: the default OptimizePolicy (background maintenance on, as a"
            + " production stream runs); never: OptimizePolicy.never(), which isolates what"
            + " maintenance costs the stream on the same cores.")
        .note("Load average (1, 5, 15 min) at the end: " + SparkThroughputBench.loadAverage()
            + ".")
        .write("spark-freshness");
    spark.stop();
  }

  /** Achieved rate, sorted lags and sorted sink times (write + commit, incl. stalls) in ms. */
  record Cell(double achieved, List<Long> lags, List<Long> sink, double maintenanceSeconds,
      long stalls, java.util.Map<String, String> actions) {}

  private static Cell runCell(SparkSession spark, Dataset<Row> pool, int poolRows, int rate,
      int trigger, int seconds, int commitMs, int dim, boolean maintain) throws Exception {
    REPORTS.clear();
    Path work = Files.createTempDirectory("lance-sink-spark-fresh-bench");
    String delta = work.resolve("delta").toString();
    spark.sql("CREATE TABLE delta.`" + delta + "` (id BIGINT, name STRING, vector ARRAY<FLOAT>)"
        + " USING delta TBLPROPERTIES (delta.enableChangeDataFeed = true)");
    LanceSinkSettings.Builder settings = LanceSinkSettings.builder()
        .tableUri(work.resolve("fresh.lance").toString())
        .writerId("fresh-bench")
        .vectorColumn("vector", dim);
    if (!maintain) {
      settings.optimizePolicy(io.github.lancesink.policy.OptimizePolicy.never());
    }
    // maintenance actions (count, seconds) and write stalls, from the driver sink's events
    java.util.Map<String, double[]> actions = new java.util.concurrent.ConcurrentSkipListMap<>();
    java.util.concurrent.atomic.AtomicLong stalls = new java.util.concurrent.atomic.AtomicLong();
    java.util.concurrent.atomic.AtomicReference<LanceForeachBatch> self =
        new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.atomic.AtomicBoolean subscribed =
        new java.util.concurrent.atomic.AtomicBoolean();
    LanceForeachBatch fn = LanceForeachBatch.builder()
        .settings(settings.build())
        .listener(r -> {
          REPORTS.add(r);
          if (!subscribed.getAndSet(true)) {
            self.get().sink().ifPresent(sink -> sink.events()
                .on(SinkEvent.MaintenanceRan.class, e -> actions.merge(e.action(),
                    new double[] {1, e.took().toMillis() / 1e3},
                    (a, b) -> new double[] {a[0] + b[0], a[1] + b[1]}))
                .on(SinkEvent.WriteStalled.class, e -> stalls.incrementAndGet()));
          }
        }).build();
    self.set(fn);
    StreamingQuery q = spark.readStream().format("delta").option("readChangeFeed", "true")
        .option("startingVersion", "0").load(delta)
        .writeStream().foreachBatch(fn).trigger(Trigger.ProcessingTime(trigger + " seconds"))
        .option("checkpointLocation", work.resolve("ckpt").toString()).start();
    long produced = 0;
    long start = System.nanoTime();
    long end = start + seconds * 1_000_000_000L;
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      long due = Math.min((long) ((t0 - start) / 1e9 * rate) + rate * (long) commitMs / 1000,
          produced + poolRows) - produced;
      if (due > 0) {
        pool.where("id < " + due).selectExpr("id + " + produced + " AS id", "name", "vector")
            .write().format("delta").mode("append").save(delta);
        produced += due;
      }
      long left = commitMs - (System.nanoTime() - t0) / 1_000_000;
      if (left > 0) {
        Thread.sleep(left);
      }
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    // let the stream catch up: stop once a batch has committed the last produced row
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (committedRows() < produced && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    q.stop();
    fn.close();
    if (q.exception().isDefined()) {
      throw new IllegalStateException("the stream failed", q.exception().get());
    }
    if (committedRows() < produced) {
      throw new IllegalStateException("the stream did not catch up: " + committedRows() + " of "
          + produced + " rows committed 60 s after the producer stopped");
    }
    List<Long> lags = new ArrayList<>();
    List<Long> sink = new ArrayList<>();
    boolean first = true;
    for (BatchReport r : REPORTS) {
      if (first && r.freshnessLag().isPresent()) {
        first = false; // the warm-up: stream start, table creation, first JIT
        continue;
      }
      r.freshnessLag().map(Duration::toMillis).ifPresent(lags::add);
      sink.add(r.result().writeDuration().plus(r.result().commitDuration()).toMillis());
    }
    Collections.sort(lags);
    Collections.sort(sink);
    AppendBench.deleteTree(work);
    double maintenance = 0;
    java.util.Map<String, String> byAction = new java.util.TreeMap<>();
    for (java.util.Map.Entry<String, double[]> e : actions.entrySet()) {
      maintenance += e.getValue()[1];
      byAction.put(e.getKey(), String.format("%.0f x, %.1f s", e.getValue()[0],
          e.getValue()[1]));
    }
    return new Cell(produced / elapsed, lags, sink, maintenance, stalls.get(), byAction);
  }

  private static long committedRows() {
    long n = 0;
    for (BatchReport r : REPORTS) {
      n += r.result().rows();
    }
    return n;
  }

  private static List<Integer> ints(String csv) {
    List<Integer> out = new ArrayList<>();
    for (String s : csv.split(",")) {
      out.add(Integer.parseInt(s.trim()));
    }
    return out;
  }

  private static long pct(List<Long> sorted, double p) {
    if (sorted.isEmpty()) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }
}
