package io.github.lancesink.lance;

import static io.github.lancesink.lance.MaintenanceHarness.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.policy.MaintenanceMode;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

/** Search freshness around index refresh, the inline budget, and the background executor. */
class MaintenanceModesTest {
  @TempDir Path dir;

  /**
   * Rows committed after the index was built are found by an ANN query at once (Lance scans
   * unindexed fragments), and the same rows are found after maintenance folded them into the
   * index. Pass: the nearest neighbour of each fresh row's vector is that row, before and after,
   * and the unindexed-row count goes from 300 to 0 in between. IVF_FLAT with every partition
   * probed keeps the index exact, so the test checks freshness, not quantization recall (the
   * benchmark measures IVF_PQ recall).
   */
  @Test
  void annSearchFindsFreshRowsBeforeAndAfterTheyAreIndexed() throws Exception {
    OptimizePolicy p = quiet().everyCommits(2).indexMinRows(1200).indexPartitions(4)
        .indexType(VectorIndexType.IVF_FLAT).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      h.write(0, 600);
      h.write(1, 600); // run: build the index over 1,200 rows
      assertThat(h.ran(true)).contains("build-index");
      h.write(2, 300); // fresh rows, no run on this commit
      assertThat(h.table.maintenance().orElseThrow().stats().unindexedRows()).isEqualTo(300);
      List<Long> fresh = List.of(2000L, 2150L, 2299L);
      assertThat(nearest(h, fresh)).isEqualTo(fresh);
      h.write(3, 300); // run: fold batches 2 and 3 into the index
      assertThat(h.ran(true)).contains("optimize-indices");
      assertThat(h.table.maintenance().orElseThrow().stats().unindexedRows()).isZero();
      assertThat(nearest(h, fresh)).isEqualTo(fresh);
      assertThat(nearest(h, List.of(3100L))).containsExactly(3100L);
    }
  }

  private static List<Long> nearest(MaintenanceHarness h, List<Long> ids) throws Exception {
    List<Long> found = new ArrayList<>();
    try (RootAllocator a = new RootAllocator();
        Dataset ds = Dataset.open(h.uri.toString(), a)) {
      for (long id : ids) {
        float[] key = new float[MaintenanceHarness.DIM];
        for (int j = 0; j < key.length; j++) {
          key[j] = id + j / 1000f;
        }
        Query q = new Query.Builder().setColumn("vector").setKey(key).setK(1).setNprobes(4)
            .setRefineFactor(50).build();
        try (LanceScanner s = ds.newScan(new ScanOptions.Builder().nearest(q)
                .columns(List.of("id")).build());
            ArrowReader r = s.scanBatches()) {
          while (r.loadNextBatch()) {
            BigIntVector v = (BigIntVector) r.getVectorSchemaRoot().getVector("id");
            for (int i = 0; i < v.getValueCount(); i++) {
              found.add(v.get(i));
            }
          }
        }
      }
    }
    return found;
  }

  /**
   * Inline mode starts no action once the budget is spent: compaction "takes" longer than the
   * budget (the manual clock moves during it), so the index build is deferred with a reason, and
   * the next commit runs it as pending work.
   */
  @Test
  void inlineModeDefersActionsBeyondTheBudgetToTheNextCommit() {
    OptimizePolicy p = quiet().everyCommits(3).indexMinRows(900).budget(Duration.ofSeconds(5))
        .build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      h.table.nativeMaintenance().afterOpen(op -> {
        if (op.equals("compact")) {
          h.clock.advance(Duration.ofSeconds(6));
        }
      });
      for (long b = 0; b < 3; b++) {
        h.write(b, 300);
      }
      assertThat(h.ran(true)).containsExactly("compact");
      assertThat(h.events(SinkEvent.MaintenanceDeferred.class)).singleElement()
          .satisfies(e -> {
            assertThat(e.action()).isEqualTo("build-index");
            assertThat(e.reason()).contains("budget of PT5S spent");
          });
      assertThat(h.table.maintenance().orElseThrow().indices()).isEmpty();
      h.write(3, 300);
      assertThat(h.events(SinkEvent.MaintenancePlanned.class)).last()
          .satisfies(e -> assertThat(e.triggers()).contains("pending"));
      assertThat(h.ran(true)).containsExactly("compact", "build-index");
      assertThat(h.table.maintenance().orElseThrow().indices()).hasSize(1);
    }
  }

  /**
   * Background mode never blocks a batch: while a compaction is held inside Lance, three more
   * batches commit. Those commits are folded into one more cycle that starts as soon as the held
   * run ends, without waiting for another batch; close() waits for the run in progress.
   */
  @Test
  void backgroundModeNeverBlocksABatchWhileMaintenanceRuns() throws Exception {
    OptimizePolicy p = quiet().everyCommits(3).mode(MaintenanceMode.BACKGROUND)
        .budget(Duration.ofSeconds(30)).build();
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean holdExpired =
        new java.util.concurrent.atomic.AtomicBoolean();
    MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000);
    try {
      h.table.nativeMaintenance().afterOpen(op -> {
        if (op.equals("compact") && entered.getCount() > 0) {
          entered.countDown();
          try {
            // a commit that waited for maintenance would wait until this hold expires
            holdExpired.set(!release.await(120, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      });
      h.write(0, 100);
      h.write(1, 100);
      h.write(2, 100); // due: the background run starts and blocks inside compaction
      assertThat(entered.await(20, TimeUnit.SECONDS)).isTrue();
      for (long b = 3; b < 6; b++) {
        h.assertCommitted(h.write(b, 100));
      }
      // the three commits landed while the run was still held inside compaction
      assertThat(holdExpired).as("a commit waited for the held maintenance run").isFalse();
      assertThat(h.ran(true)).isEmpty(); // still held
      release.countDown();
      // batches 3-5 made the policy due again while the run was held: the executor plans once
      // more on its own, so the stream's last commits are not left waiting for a next batch
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (h.ran(true).size() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(h.ran(true)).containsExactly("compact", "compact");
      assertThat(h.events(SinkEvent.MaintenancePlanned.class)).hasSize(2)
          .allSatisfy(e -> assertThat(e.triggers()).contains("every-commits"));
      assertThat(h.table.maintenance().orElseThrow().stats().fragmentRows()).containsExactly(300L, 300L);
    } finally {
      release.countDown();
      h.close(); // waits for the run in progress
    }
    assertThat(h.coldLastBatch("w", 1000)).hasValue(5);
  }
}
