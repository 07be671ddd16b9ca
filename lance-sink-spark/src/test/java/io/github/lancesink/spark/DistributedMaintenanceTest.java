package io.github.lancesink.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.CommitConflictException;
import io.github.lancesink.index.DistanceMetric;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.lance.NativeLanceTable;
import io.github.lancesink.spark.internal.SparkMaintenanceWorkers;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.TableMaintenance;
import io.github.lancesink.spi.TableStats;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Distributed maintenance on real Spark (local[2], two attempts per task) and real Lance: the
 * compaction and index build tasks run as Spark jobs in their own scheduler pool, the driver
 * commits once per action.
 */
class DistributedMaintenanceTest {
  static final int DIM = 32;
  static final String POOL = "test-maintenance";
  static final DistributedMaintenance SETTINGS = DistributedMaintenance.builder().pool(POOL)
      .maxConcurrentTasks(2).minRowsPerJob(0).build();

  @TempDir Path dir;
  private final MaintenanceJobs jobs = new MaintenanceJobs(POOL);

  @AfterEach
  void stop() {
    jobs.stop();
  }

  private NativeLanceTable distributed(String uri, SparkMaintenanceWorkers.TaskHook hook) {
    return new NativeLanceTable(uri, Map.of(), new SparkMaintenanceWorkers(
        TestSpark.session().sparkContext(), SETTINGS, hook));
  }

  /**
   * Purpose: distributed mode makes the same table as driver mode. Steps: two tables with the
   * same 12 batches; compact, then build an IVF_SQ index, once on the driver and once as Spark
   * jobs. Pass: same rows, same fragment shape, same index coverage (rows indexed, one segment),
   * recall@10 within 0.01; the work ran as jobs in the maintenance pool (compaction tasks, the
   * training task, two segment tasks, the merge task) and each action is one commit (two for
   * the compaction, which reserves fragment ids first, as in driver mode).
   */
  @Test
  void distributedModeBuildsTheSameTableAsDriverMode() throws Exception {
    String a = dir.resolve("driver.lance").toString();
    String b = dir.resolve("distributed.lance").toString();
    MaintenanceJobs.fill(a, 12, 1000, DIM);
    MaintenanceJobs.fill(b, 12, 1000, DIM);
    IndexSpec spec = new IndexSpec("vector", "vector_idx", IndexState.Kind.VECTOR,
        VectorIndexType.IVF_SQ, 8, 0, DistanceMetric.L2);
    try (NativeLanceTable driver = new NativeLanceTable(a, Map.of());
        NativeLanceTable dist = distributed(b, () -> {})) {
      TableMaintenance ma = driver.maintenance().orElseThrow();
      TableMaintenance mb = dist.maintenance().orElseThrow();
      long v0 = dist.latestVersion().orElseThrow();
      ma.compact(4000, 0.1);
      mb.compact(4000, 0.1);
      assertThat(jobs.jobs).hasSize(1);
      // Lance plans 3 groups of 4 fragments; the cap of 2 tasks at once spreads them over 2
      assertThat(jobs.tasksSucceeded.get()).isEqualTo(2);
      assertThat(shape(mb.stats())).isEqualTo(shape(ma.stats())).isNotEqualTo(List.of(12L));
      assertThat(MaintenanceJobs.operations(b, v0, dist.latestVersion().orElseThrow()))
          .containsOnlyOnce("Rewrite").hasSizeBetween(1, 2);

      long v1 = dist.latestVersion().orElseThrow();
      ma.createIndex(spec);
      mb.createIndex(spec);
      assertThat(jobs.jobs).hasSize(4); // train, segments, merge
      assertThat(MaintenanceJobs.operations(b, v1, dist.latestVersion().orElseThrow()))
          .containsExactly("CreateIndex");
      assertThat(mb.indices()).isEqualTo(ma.indices());
      assertThat(mb.indices()).singleElement().satisfies(i -> {
        assertThat(i.indexedRows()).isEqualTo(12_000);
        assertThat(i.segments()).isEqualTo(1);
      });
      assertThat(TestSpark.lanceState(b)).isEqualTo(TestSpark.lanceState(a));
      var queries = MaintenanceJobs.queries(500, 100, DIM);
      double ra = MaintenanceJobs.recall(a, queries, 8);
      double rb = MaintenanceJobs.recall(b, queries, 8);
      System.out.printf("recall@10 driver %.3f distributed %.3f%n", ra, rb);
      assertThat(rb).isCloseTo(ra, org.assertj.core.data.Offset.offset(0.01));
      assertThat(jobs.descriptions).anyMatch(d -> d.contains("train 8 IVF centroids"));
    }
  }

  /**
   * Purpose: a task that fails is retried by Spark and the action still commits exactly once.
   * Steps: a compaction whose first task attempt throws. Pass: one failed attempt seen by Spark,
   * one Rewrite commit, every row still there exactly once.
   */
  @Test
  void aTaskFailingOnceIsRetriedBySparkAndTheActionCommitsOnce() throws Exception {
    String uri = dir.resolve("retry.lance").toString();
    MaintenanceJobs.fill(uri, 8, 500, DIM);
    var before = TestSpark.lanceState(uri);
    try (NativeLanceTable t = distributed(uri, () -> {
      TaskContext c = TaskContext.get();
      if (c.partitionId() == 0 && c.attemptNumber() == 0) {
        throw new IllegalStateException("injected: executor lost on the first attempt");
      }
    })) {
      long v0 = t.latestVersion().orElseThrow();
      t.maintenance().orElseThrow().compact(1_000_000, 0.1);
      assertThat(jobs.tasksFailed.get()).isEqualTo(1);
      assertThat(t.maintenance().orElseThrow().stats().fragments()).isEqualTo(1);
      assertThat(MaintenanceJobs.operations(uri, v0, t.latestVersion().orElseThrow()))
          .containsOnlyOnce("Rewrite");
    }
    assertThat(TestSpark.lanceState(uri)).isEqualTo(before).hasSize(4000);
  }

  /**
   * Purpose: a task failing on every attempt commits nothing. Pass: the action fails, the table
   * version and fragments are unchanged, and the next run (re-planned) succeeds.
   */
  @Test
  void aTaskFailingForGoodCommitsNothingAndTheNextRunReplans() throws Exception {
    String uri = dir.resolve("fail.lance").toString();
    MaintenanceJobs.fill(uri, 6, 500, DIM);
    try (NativeLanceTable failing = distributed(uri, () -> {
      throw new IllegalStateException("injected: every attempt fails");
    })) {
      long v0 = failing.latestVersion().orElseThrow();
      assertThatThrownBy(() -> failing.maintenance().orElseThrow().compact(1_000_000, 0.1))
          .hasMessageContaining("nothing was committed");
      assertThat(failing.latestVersion()).hasValue(v0);
      assertThat(jobs.tasksFailed.get()).isEqualTo(2); // both attempts
    }
    try (NativeLanceTable t = distributed(uri, () -> {})) {
      t.maintenance().orElseThrow().compact(1_000_000, 0.1);
      assertThat(t.maintenance().orElseThrow().stats().fragments()).isEqualTo(1);
    }
    assertThat(TestSpark.lanceState(uri)).hasSize(3000);
  }

  /**
   * Purpose: stream commits racing a distributed compaction behave as in the single-JVM lanes.
   * Steps: the compaction's tasks wait while a sink appends two batches, then the compaction
   * commits; then a second distributed compaction races a driver compaction of the same
   * fragments that lands first. Pass: the first compaction lands over the appends (Lance
   * rebases it) with every row once; the second fails with {@link CommitConflictException},
   * commits no rewrite, and loses no row.
   */
  @Test
  void streamCommitsRacingADistributedCompaction() throws Exception {
    String uri = dir.resolve("race.lance").toString();
    MaintenanceJobs.fill(uri, 6, 500, DIM);
    Latches.reset();
    try (NativeLanceTable t = distributed(uri, Latches::holdTask)) {
      var compaction = java.util.concurrent.CompletableFuture.runAsync(
          () -> t.maintenance().orElseThrow().compact(1_000_000, 0.1));
      Latches.started.await();
      MaintenanceJobs.fill(uri, 6, 2, 500, DIM); // batches 6 and 7: rows 3000-3999
      Latches.release.countDown();
      compaction.get();
      TableStats after = t.maintenance().orElseThrow().stats();
      assertThat(after.fragmentRows()).containsExactlyInAnyOrder(3000L, 500L, 500L);
      assertThat(TestSpark.lanceState(uri)).hasSize(4000);

      Latches.reset();
      try (NativeLanceTable other = new NativeLanceTable(uri, Map.of())) {
        var second = java.util.concurrent.CompletableFuture.runAsync(
            () -> t.maintenance().orElseThrow().compact(1_000_000, 0.1));
        Latches.started.await();
        other.maintenance().orElseThrow().compact(1_000_000, 0.1); // lands first
        long landed = other.latestVersion().orElseThrow();
        Latches.release.countDown();
        assertThatThrownBy(second::get).hasCauseInstanceOf(CommitConflictException.class);
        // Lance may have reserved fragment ids before the Rewrite was refused (as in driver
        // mode); no rewrite of ours landed
        assertThat(MaintenanceJobs.operations(uri, landed, t.latestVersion().orElseThrow()))
            .doesNotContain("Rewrite");
      }
      assertThat(TestSpark.lanceState(uri)).hasSize(4000);
    }
  }

  /**
   * Purpose: stream commits racing a distributed index build, as in the single-JVM lanes.
   * Steps: the build's tasks wait while a sink appends two batches, then the build commits.
   * Pass: the index lands (one CreateIndex) over the fragments it read; the appended rows are
   * there, unindexed until a refresh; no row is lost or duplicated.
   */
  @Test
  void streamCommitsRacingADistributedIndexBuild() throws Exception {
    String uri = dir.resolve("index-race.lance").toString();
    MaintenanceJobs.fill(uri, 6, 500, DIM);
    Latches.reset();
    IndexSpec spec = new IndexSpec("vector", "vector_idx", IndexState.Kind.VECTOR,
        VectorIndexType.IVF_SQ, 2, 0, DistanceMetric.L2);
    try (NativeLanceTable t = distributed(uri, Latches::holdTask)) {
      long v0 = t.latestVersion().orElseThrow();
      var build = java.util.concurrent.CompletableFuture.runAsync(
          () -> t.maintenance().orElseThrow().createIndex(spec));
      Latches.started.await();
      MaintenanceJobs.fill(uri, 6, 2, 500, DIM); // batches 6 and 7: rows 3000-3999
      Latches.release.countDown();
      build.get();
      assertThat(MaintenanceJobs.operations(uri, v0, t.latestVersion().orElseThrow()))
          .containsExactly("Append", "Append", "CreateIndex");
      assertThat(t.maintenance().orElseThrow().indices()).singleElement()
          .satisfies(i -> assertThat(i.indexedRows()).isEqualTo(3000));
      assertThat(t.maintenance().orElseThrow().stats().unindexedRows()).isEqualTo(1000);
    }
    assertThat(TestSpark.lanceState(uri)).hasSize(4000);
  }

  /**
   * Purpose: stopping the maintenance thread (as {@code close()} does after its budget) cancels
   * the running job and commits nothing. Steps: a compaction whose task is held; interrupt the
   * thread running it. Pass: the action fails saying it was interrupted, the table is
   * unchanged, and Spark ends the job without waiting for the held task.
   */
  @Test
  void anInterruptedActionCancelsItsJobAndCommitsNothing() throws Exception {
    String uri = dir.resolve("interrupt.lance").toString();
    MaintenanceJobs.fill(uri, 6, 500, DIM);
    Latches.reset();
    try (NativeLanceTable t = distributed(uri, Latches::holdTask)) {
      long v0 = t.latestVersion().orElseThrow();
      java.util.concurrent.atomic.AtomicReference<Throwable> error =
          new java.util.concurrent.atomic.AtomicReference<>();
      Thread maintenance = new Thread(() -> {
        try {
          t.maintenance().orElseThrow().compact(1_000_000, 0.1);
        } catch (RuntimeException e) {
          error.set(e);
        }
      });
      maintenance.start();
      Latches.started.await();
      maintenance.interrupt();
      maintenance.join(30_000);
      assertThat(maintenance.isAlive()).isFalse();
      assertThat(error.get()).hasMessageContaining("interrupted");
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (jobs.running.get() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(jobs.running.get()).as("maintenance jobs still running").isZero();
      assertThat(t.latestVersion()).hasValue(v0);
    } finally {
      Latches.release.countDown();
    }
    assertThat(TestSpark.lanceState(uri)).hasSize(3000);
  }

  private static List<Object> shape(TableStats s) {
    return List.of(s.fragments(), s.rows(), s.deletedRows(), s.fragmentRows());
  }

  /** Holds tasks (which run in this JVM in local mode) until the test releases them. */
  static final class Latches {
    static volatile java.util.concurrent.CountDownLatch started;
    static volatile java.util.concurrent.CountDownLatch release;

    static void reset() {
      started = new java.util.concurrent.CountDownLatch(1);
      release = new java.util.concurrent.CountDownLatch(1);
    }

    static void holdTask() {
      started.countDown();
      try {
        release.await(60, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
