package io.github.lancesink.lance;

import static io.github.lancesink.lance.MaintenanceHarness.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.BatchResult;
import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.internal.maintenance.MaintenanceRunner;
import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.TableStats;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lance.Dataset;
import org.lance.ipc.LanceScanner;
import org.lance.ipc.Query;
import org.lance.ipc.ScanOptions;

/**
 * The two maintenance lanes and write stalls on real Lance: bounds that hold at every batch of a
 * back-to-back stream while the slow lane is held inside a retrain, a retrain that lands under a
 * running stream, and a drift baseline that survives a restart.
 */
class LanesAndStallsOnLanceTest {
  static final int ROWS = 100;
  static final int MAX_FRAGMENTS = 24;
  static final long MAX_UNINDEXED = 1000;
  @TempDir Path dir;

  /**
   * 200 batches of 100 rows commit back to back in background mode. The first index build (at
   * 2,000 rows) runs freely; the retrain it makes due (rows above twice the trained rows) is held
   * at a barrier inside Lance (after the build opened the table) until the stream has ended.
   * Pass: after EVERY batch the table has at most maxFragments fragments and, once the vector
   * index exists, at most 2x maxUnindexedRows unindexed rows; no write fails; the stall path is
   * taken (no every-N trigger is on, so only stalls merge fragments before the index exists) and
   * reported as WriteStalled events; the retrain was held while the stream ran and, released,
   * lands under the other index name and replaces the old index; recall@10 is at least 0.95 in
   * the middle of the stream (retrain held) and after it; no row is lost or duplicated.
   */
  @Test
  void boundsHoldAtEveryBatchWhileARetrainIsHeldAndTheRetrainThenLands() throws Exception {
    OptimizePolicy p = quiet().mode(MaintenanceMode.BACKGROUND).budget(Duration.ofSeconds(60))
        .maxFragments(MAX_FRAGMENTS).maxUnindexedRows(MAX_UNINDEXED).indexMinRows(2000)
        .indexType(VectorIndexType.IVF_FLAT).indexPartitions(4).retrainDrift(1.0)
        .compactionFanIn(4).build();
    CountDownLatch retrainHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch retrained = new CountDownLatch(1);
    MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000);
    try {
      int[] builds = {0};
      h.table.nativeMaintenance().afterOpen(op -> {
        if (op.equals("createIndex") && builds[0]++ == 1) { // the second vector build: retrain
          retrainHeld.countDown();
          await(release);
        }
      });
      h.sink.events().on(SinkEvent.MaintenanceRan.class, e -> {
        if (e.action().equals("retrain-index") && e.succeeded()) {
          retrained.countDown();
        }
      });
      double midRecall = -1;
      for (long b = 0; b < 200; b++) {
        BatchResult r = h.write(b, ROWS);
        h.assertCommitted(r);
        // indices first: when the index exists here, the stats read after it see it too
        boolean indexed = h.table.maintenance().orElseThrow().indices().stream()
            .anyMatch(i -> i.kind() == IndexState.Kind.VECTOR);
        TableStats s = h.table.maintenance().orElseThrow().stats();
        assertThat(s.fragments()).as("fragments after batch %d", b)
            .isLessThanOrEqualTo(MAX_FRAGMENTS);
        if (indexed) {
          assertThat(s.unindexedRows()).as("unindexed rows after batch %d", b)
              .isLessThanOrEqualTo(2 * MAX_UNINDEXED);
        }
        if (b == 150) {
          assertThat(retrainHeld.getCount()).as("retrain held by batch 150").isZero();
          midRecall = recallAt10(h, (b + 1) * 1000);
        }
      }
      assertThat(retrained.getCount()).as("the retrain was still held").isEqualTo(1);
      List<SinkEvent.WriteStalled> stalls = h.events(SinkEvent.WriteStalled.class);
      System.out.printf("stalls: %d, %d ms in all%n", stalls.size(),
          stalls.stream().mapToLong(e -> e.took().toMillis()).sum());
      assertThat(h.events(SinkEvent.WriteStalled.class)).isNotEmpty()
          .allSatisfy(e -> assertThat(e.stopped()).isFalse());
      assertThat(midRecall).isGreaterThanOrEqualTo(0.95);
      release.countDown();
      assertThat(retrained.await(60, TimeUnit.SECONDS)).isTrue();
      h.sink.close(); // waits for both lanes
      assertThat(h.table.maintenance().orElseThrow().indices()).filteredOn(i -> i.kind() == IndexState.Kind.VECTOR)
          .singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("vector_idx_b"));
      assertThat(h.table.config()).containsKey(MaintenanceRunner.TRAINED_ROWS_KEY)
          .containsEntry(MaintenanceRunner.INDEX_NAME_KEY, "vector_idx_b");
      assertThat(recallAt10(h, 200_000)).isGreaterThanOrEqualTo(0.95);
      List<Long> ids = MaintenanceHarness.ids(h.table);
      assertThat(ids).doesNotHaveDuplicates().hasSize(200 * ROWS);
      assertThat(h.coldLastBatch("w", 1000)).hasValue(199);
    } finally {
      release.countDown();
      h.close();
    }
  }

  /**
   * The drift baseline is written to table config with the index and read back after a restart.
   * Before the restart the index is built over 1,000 rows and refreshed to 2,000; after it, at
   * 3,000 rows, the drift from the trained rows (2,000 added on 1,000 trained) is due. Counting
   * from the rows the index covered at the restart (2,000) it would not be (1,000 added), which is
   * what the sink did before the baseline was persisted.
   */
  @Test
  void theDriftBaselineSurvivesARestart() throws Exception {
    OptimizePolicy p = quiet().everyCommits(2).indexMinRows(1000).retrainDrift(1.0)
        .indexPartitions(2).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      for (long b = 0; b < 4; b++) {
        h.assertCommitted(h.write(b, 500));
      }
      assertThat(h.ran(true)).contains("build-index", "optimize-indices")
          .doesNotContain("retrain-index");
      assertThat(h.table.maintenance().orElseThrow().indices()).singleElement()
          .satisfies(i -> assertThat(i.indexedRows()).isEqualTo(2000));
      assertThat(h.table.config()).containsEntry(MaintenanceRunner.TRAINED_ROWS_KEY, "1000");
    }
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      h.assertCommitted(h.write(4, 500));
      h.assertCommitted(h.write(5, 500)); // a run: 3,000 rows, trained on 1,000
      assertThat(h.ran(true)).contains("retrain-index");
      assertThat(h.table.maintenance().orElseThrow().indices()).filteredOn(i -> i.kind() == IndexState.Kind.VECTOR)
          .singleElement().satisfies(i -> assertThat(i.name()).isEqualTo("vector_idx_b"));
      assertThat(h.table.config()).containsEntry(MaintenanceRunner.TRAINED_ROWS_KEY, "3000");
      assertThat(new HashSet<>(MaintenanceHarness.ids(h.table))).hasSize(3000);
    }
  }

  /**
   * A batch that alone holds more unindexed rows than the stop bound (2x maxUnindexedRows) could
   * never be committed under it. It is committed after the slowdown cycle instead of stalling
   * for the whole budget and failing on every retry (found by the Spark driver-memory benchmark:
   * 500k-row batches against the default 200k stop bound failed forever). The index is built
   * inline first, so the background sink that follows knows from its first commit that a vector
   * index exists; the background lane then indexes the big batch.
   */
  @Test
  void aBatchLargerThanTheStopBoundIsCommittedAfterTheSlowdownCycle() throws Exception {
    OptimizePolicy build = quiet().everyCommits(1).indexMinRows(256)
        .indexType(VectorIndexType.IVF_FLAT).indexPartitions(2).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, build, 1000)) {
      h.assertCommitted(h.write(0, 300));
      assertThat(h.ran(true)).contains("build-index");
    }
    OptimizePolicy p = quiet().mode(MaintenanceMode.BACKGROUND).budget(Duration.ofSeconds(5))
        .maxUnindexedRows(100).indexType(VectorIndexType.IVF_FLAT).indexPartitions(2).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      h.assertCommitted(h.write(1, 1000)); // 1,000 unindexed rows > the stop bound of 200
      assertThat(h.events(SinkEvent.WriteStalled.class)).singleElement().satisfies(e -> {
        assertThat(e.batchId()).isEqualTo(1);
        assertThat(e.stopped()).isFalse();
        assertThat(e.reason()).contains("slowdown 150");
      });
      // the cycle the commit kicked indexes the batch (1,000 unindexed rows > 100)
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (h.table.maintenance().orElseThrow().stats().unindexedRows() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertThat(h.table.maintenance().orElseThrow().stats().unindexedRows()).isZero();
      assertThat(new HashSet<>(MaintenanceHarness.ids(h.table))).hasSize(1300);
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(600, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Mean recall@10 of 40 random queries over ids below {@code maxId}: a returned id counts when
   * it is among the true ten nearest (vector(id)[j] = id + j/1000, so the distance grows with
   * |id - query id| and the ten nearest are those within 5 of it, a tie at 5 included).
   */
  private static double recallAt10(MaintenanceHarness h, long maxId) throws Exception {
    Random random = new Random(7);
    double sum = 0;
    int queries = 40;
    try (RootAllocator a = new RootAllocator(); Dataset ds = Dataset.open(h.uri.toString(), a)) {
      for (int q = 0; q < queries; q++) {
        long batch = random.nextInt((int) (maxId / 1000));
        long id = batch * 1000 + 5 + random.nextInt(ROWS - 10);
        float[] key = new float[MaintenanceHarness.DIM];
        for (int j = 0; j < key.length; j++) {
          key[j] = id + j / 1000f;
        }
        Query query = new Query.Builder().setColumn("vector").setKey(key).setK(10).setNprobes(1)
            .build();
        int hits = 0;
        try (LanceScanner s = ds.newScan(new ScanOptions.Builder().nearest(query)
                .columns(List.of("id")).build());
            ArrowReader r = s.scanBatches()) {
          while (r.loadNextBatch()) {
            BigIntVector v = (BigIntVector) r.getVectorSchemaRoot().getVector("id");
            for (int i = 0; i < v.getValueCount(); i++) {
              if (Math.abs(v.get(i) - id) <= 5) {
                hits++;
              }
            }
          }
        }
        sum += Math.min(10, hits) / 10.0;
      }
    }
    return sum / queries;
  }
}
