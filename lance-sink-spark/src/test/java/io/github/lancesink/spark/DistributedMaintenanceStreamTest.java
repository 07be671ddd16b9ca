package io.github.lancesink.spark;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.LanceSinkSettings;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real stream (Spark's rate-micro-batch source, local[2]) through {@link LanceForeachBatch} with
 * distributed maintenance on: the write-stall bounds of docs/optimize.md hold at every commit
 * while compaction and the index build run as Spark jobs beside the micro-batches.
 */
class DistributedMaintenanceStreamTest {
  static final int DIM = 32;
  static final String POOL = "stream-maintenance";
  static final int MAX_FRAGMENTS = 16;
  static final long MAX_UNINDEXED = 4000;
  static final Duration BUDGET = Duration.ofSeconds(15);

  @TempDir Path dir;

  /**
   * Purpose: distributed mode keeps the cadence bounds and never holds a batch behind a
   * maintenance job beyond the documented limit. Steps: a stream of 750-row micro-batches every
   * 500 ms (about 1,500 rows/s) for 40 commits, with tight bounds (16 fragments, 4,000
   * unindexed rows) and an index due at 8,000 rows. Pass: maintenance jobs (the index build
   * among them) ran in the maintenance pool; at every data commit fragments <= 16 and, once
   * indexed, unindexed rows <= 2 x 4,000; no write was stopped and every stall took less than
   * the budget; every row arrived exactly once.
   */
  @Test
  void aStreamKeepsTheBoundsWhileMaintenanceRunsOnTheExecutors() throws Exception {
    String uri = dir.resolve("stream.lance").toString();
    OptimizePolicy policy = OptimizePolicy.defaults().toBuilder()
        .mode(MaintenanceMode.BACKGROUND).everyCommits(4).interval(Duration.ofSeconds(10))
        .maxFragments(MAX_FRAGMENTS).maxUnindexedRows(MAX_UNINDEXED).indexMinRows(8000)
        .compactionFanIn(4).retainVersions(10_000).budget(BUDGET).build();
    LanceSinkSettings settings = LanceSinkSettings.builder().tableUri(uri).writerId("stream")
        .vectorColumn("vector", DIM).optimizePolicy(policy).build();
    List<SinkEvent> events = new CopyOnWriteArrayList<>();
    List<Long> versions = new CopyOnWriteArrayList<>();
    AtomicBoolean subscribed = new AtomicBoolean();
    MaintenanceJobs jobs = new MaintenanceJobs(POOL);
    LanceForeachBatch[] fn = new LanceForeachBatch[1];
    fn[0] = LanceForeachBatch.builder().settings(settings)
        .distributedMaintenance(DistributedMaintenance.builder().pool(POOL).minRowsPerJob(0)
            .build())
        .listener(r -> {
          r.result().version().ifPresent(versions::add);
          if (subscribed.compareAndSet(false, true)) {
            fn[0].sink().orElseThrow().events().onEvent(events::add);
          }
        }).build();
    long rows;
    try {
      // a fixed number of rows per micro-batch, however long a batch took (the plain rate
      // source would hand a slow first batch everything that accumulated meanwhile)
      StreamingQuery q = TestSpark.session().readStream().format("rate-micro-batch")
          .option("rowsPerBatch", "750").option("numPartitions", "2").load()
          .selectExpr("value AS id", "concat('item-', value) AS name",
              "transform(sequence(0, " + (DIM - 1) + "), i -> CAST((hash(value, i) % 10007)"
                  + " / 10007.0 AS FLOAT)) AS vector")
          .writeStream().foreachBatch(fn[0])
          .option("checkpointLocation", dir.resolve("ckpt").toString())
          .trigger(Trigger.ProcessingTime("500 milliseconds")).start();
      long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
      while (System.nanoTime() < deadline && (versions.size() < 40
          || events.stream().noneMatch(DistributedMaintenanceStreamTest::built))) {
        Thread.sleep(250);
        assertThat(q.exception().isEmpty()).as("stream failed: %s", q.exception()).isTrue();
      }
      q.stop();
    } finally {
      fn[0].close();
      jobs.stop();
    }
    rows = TestSpark.lanceRowCount(uri);
    assertThat(events).filteredOn(DistributedMaintenanceStreamTest::built).isNotEmpty();
    assertThat(jobs.jobs).as("maintenance jobs in the pool").isNotEmpty();
    assertThat(jobs.descriptions).anyMatch(d -> d.contains("segments of 'vector_idx'"));
    for (long v : versions) {
      long[] shape = MaintenanceJobs.shapeAt(uri, v);
      assertThat(shape[0]).as("fragments at version %d", v).isLessThanOrEqualTo(MAX_FRAGMENTS);
      assertThat(shape[1]).as("unindexed rows at version %d", v)
          .isLessThanOrEqualTo(2 * MAX_UNINDEXED);
    }
    List<SinkEvent.WriteStalled> stalls = events.stream()
        .filter(SinkEvent.WriteStalled.class::isInstance).map(SinkEvent.WriteStalled.class::cast)
        .toList();
    assertThat(stalls).noneMatch(SinkEvent.WriteStalled::stopped);
    assertThat(stalls).allMatch(s -> s.took().compareTo(BUDGET) < 0);
    var state = TestSpark.lanceState(uri);
    assertThat(state).hasSize((int) rows);
    assertThat(state.keySet()).allMatch(id -> id >= 0 && id < rows);
    System.out.printf("stream: %d commits, %d rows, %d maintenance jobs, %d stalls (max %d ms)%n",
        versions.size(), rows, jobs.jobs.size(), stalls.size(),
        stalls.stream().mapToLong(s -> s.took().toMillis()).max().orElse(0));
  }

  private static boolean built(SinkEvent e) {
    return e instanceof SinkEvent.MaintenanceRan m && m.succeeded()
        && m.action().equals("build-index");
  }
}
