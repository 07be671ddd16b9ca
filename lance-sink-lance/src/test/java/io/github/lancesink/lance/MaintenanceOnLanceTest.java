package io.github.lancesink.lance;

import static io.github.lancesink.lance.MaintenanceHarness.quiet;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.event.SinkEvent;
import io.github.lancesink.internal.Marker;
import io.github.lancesink.policy.OptimizePolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The optimize policy driving real Lance: triggers, failures, races, retention. */
class MaintenanceOnLanceTest {
  @TempDir Path dir;

  /**
   * Every-N-commits and interval triggers fire on exactly the commits that make them due, and a
   * run compacts the fragments those commits added.
   */
  @Test
  void commitAndIntervalTriggersFireOnExactlyTheRightCommits() {
    OptimizePolicy p = quiet().everyCommits(3).interval(Duration.ofMinutes(10)).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      for (long b = 0; b < 7; b++) {
        h.clock.advance(Duration.ofSeconds(10));
        h.assertCommitted(h.write(b, 100));
      }
      assertThat(h.events(SinkEvent.MaintenancePlanned.class))
          .extracting(SinkEvent.MaintenancePlanned::batchId, e -> e.triggers())
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(2L, List.of("every-commits")),
              org.assertj.core.groups.Tuple.tuple(5L, List.of("every-commits")));
      assertThat(h.ran(true)).containsExactly("compact", "compact");
      // size tiers: batches 0-2 and 3-5 each became one 300-row fragment (the first was not
      // rewritten again), plus batch 6
      assertThat(h.table.maintenance().orElseThrow().stats().fragmentRows()).containsExactly(300L, 300L, 100L);
      h.clock.advance(Duration.ofMinutes(10)); // 10 min since the run at batch 5
      h.write(7, 100);
      assertThat(h.events(SinkEvent.MaintenancePlanned.class)).last()
          .extracting(SinkEvent.MaintenancePlanned::batchId, e -> e.triggers())
          .isEqualTo(List.of(7L, List.of("interval")));
    }
  }

  /**
   * Once the index exists, a run merges the unindexed tail into one fragment before indexing
   * it, and leaves the small fragments the index already covers alone (Lance does not bin
   * fragments with different index coverage together, so no index is remapped).
   */
  @Test
  void theUnindexedTailIsMergedBeforeItIsIndexedAndIndexedFragmentsAreLeftAlone()
      throws Exception {
    OptimizePolicy p = quiet().everyCommits(3).indexMinRows(1000).compactionFanIn(64).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      // run 1 (batch 2, 1,000 rows) builds the index over fragments of 450, 450 and 100 rows
      for (long b = 0; b < 6; b++) {
        h.assertCommitted(h.write(b, b < 2 ? 450 : 100));
      }
      // run 2 (batch 5): the three 100-row batches are merged into one fragment (one explicit
      // group), then indexed; the indexed 100-row fragment of batch 2 is smaller than the target
      // and adjacent to the tail, yet stays as it is
      assertThat(h.ran(true)).containsExactly("build-index", "merge-fragments",
          "optimize-indices");
      assertThat(h.table.maintenance().orElseThrow().stats().fragmentRows()).containsExactly(450L, 450L, 100L, 300L);
      assertThat(h.table.maintenance().orElseThrow().stats().unindexedRows()).isZero();
      assertThat(h.table.maintenance().orElseThrow().indices()).singleElement()
          .satisfies(i -> assertThat(i.indexedRows()).isEqualTo(1300));
      assertThat(new HashSet<>(MaintenanceHarness.ids(h.table))).hasSize(1300);
    }
  }

  /**
   * A failure injected inside compaction, a tail merge, index build or cleanup (after Lance
   * opened the table) never fails the batch; data and ledger stay intact; the next batch
   * commits; the action is retried once its backoff has passed and then succeeds. Compaction
   * runs without a vector index (size tiers); once the index exists the tail is merged instead.
   */
  @ParameterizedTest
  @CsvSource({"compact,0", "mergeFragments,256", "createIndex,256", "cleanupVersions,256"})
  void aMaintenanceFailureLeavesDataAndLedgerIntactAndIsRetriedLater(String failing,
      long indexMinRows) throws Exception {
    OptimizePolicy p = quiet().everyCommits(2).indexMinRows(indexMinRows).retainVersions(4)
        .build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 4)) {
      boolean[] armed = {true};
      h.table.nativeMaintenance().afterOpen(op -> {
        if (op.equals(failing) && armed[0]) {
          armed[0] = false;
          throw new IllegalStateException("injected failure in " + op);
        }
      });
      for (long b = 0; b < 4; b++) {
        h.assertCommitted(h.write(b, 300));
      }
      String label = switch (failing) {
        case "compact" -> "compact";
        case "mergeFragments" -> "merge-fragments";
        case "createIndex" -> "build-index";
        default -> "cleanup";
      };
      assertThat(h.ran(false)).containsExactly(label);
      assertThat(new HashSet<>(MaintenanceHarness.ids(h.table))).hasSize(1200);
      assertThat(h.sink.lastCommittedBatchId()).hasValue(3);
      assertThat(h.coldLastBatch("w", 4)).hasValue(3);
      h.clock.advance(Duration.ofMinutes(1)); // the backoff
      h.assertCommitted(h.write(4, 300));
      h.assertCommitted(h.write(5, 300));
      assertThat(h.ran(true)).contains(label);
      assertThat(h.ran(false)).hasSize(1);
      assertThat(MaintenanceHarness.ids(h.table)).hasSize(1800).doesNotHaveDuplicates();
      assertThat(h.coldLastBatch("w", 4)).hasValue(5);
      assertThat(h.table.maintenance().orElseThrow().indices().isEmpty()).isEqualTo(indexMinRows == 0);
    }
  }

  /**
   * Another writer commits data while compaction, a tail merge, an index build or an index
   * refresh is in flight on a handle opened before that commit. Both land (Lance rebases) or the
   * maintenance fails and is retried; never a lost or duplicated row, and both ledgers are
   * intact. Compaction runs without a vector index; with one, the tail is merged instead.
   */
  @ParameterizedTest
  @CsvSource({"compact,0", "mergeFragments,256", "createIndex,256", "optimizeIndices,256"})
  void aDataCommitRacingMaintenanceNeverLosesOrDuplicatesRows(String racing, long indexMinRows)
      throws Exception {
    OptimizePolicy p = quiet().everyCommits(3).indexMinRows(indexMinRows).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, 1000)) {
      int[] otherBatch = {0};
      h.table.nativeMaintenance().afterOpen(op -> {
        if (op.equals(racing)) {
          long b = otherBatch[0]++;
          h.assertCommitted(MaintenanceHarness.writeWithOtherSink(h.uri, b, 1_000_000 + b * 1000,
              200));
        }
      });
      for (long b = 0; b < 6; b++) {
        h.assertCommitted(h.write(b, 300));
      }
      h.clock.advance(Duration.ofHours(2));
      for (long b = 6; b < 9; b++) {
        h.assertCommitted(h.write(b, 300));
      }
      assertThat(otherBatch[0]).isPositive();
      List<Long> ids = MaintenanceHarness.ids(h.table);
      assertThat(ids).doesNotHaveDuplicates().hasSize(9 * 300 + otherBatch[0] * 200);
      assertThat(h.coldLastBatch("w", 1000)).hasValue(8);
      assertThat(h.coldLastBatch("other", 1000)).hasValue(otherBatch[0] - 1);
      assertThat(h.ran(true)).isNotEmpty();
    }
  }

  /**
   * A day of maintenance must not push the last data marker out of the ledger's lookback: each
   * run adds at most maxVersionsPerCommit versions (3 here: compaction 2, index refresh 1, and
   * cleanup 1 for its ledger checkpoint, so a run never does all three), and a cold sink still
   * finds the last batch with a short walk. Scaled down: lookback 24, maintenance after every
   * commit, 60 batches (far more versions than the lookback in total).
   */
  @Test
  void coldLedgerFindsTheLastMarkerAfterManyMaintenanceVersions() throws Exception {
    int lookback = 24;
    OptimizePolicy p = quiet().everyCommits(1).indexMinRows(256).maxIndexDeltas(1)
        .retainVersions(lookback).maxVersionsPerCommit(3).build();
    try (MaintenanceHarness h = new MaintenanceHarness(dir, p, lookback)) {
      for (long b = 0; b < 60; b++) {
        h.assertCommitted(h.write(b, 300));
      }
      long latest = h.table.latestVersion().orElseThrow();
      long marker = h.sink.lastMarkerVersion().orElseThrow();
      assertThat(latest).isGreaterThan(60 + lookback); // maintenance added many versions
      assertThat(latest - marker).isLessThanOrEqualTo(3);
      assertThat(h.table.earliestVersion().orElseThrow()).isGreaterThan(1); // cleanup ran
      assertThat(h.events(SinkEvent.MaintenanceDeferred.class))
          .anyMatch(e -> e.reason().contains("bound of 3 versions"));
      // between any two consecutive data markers there are at most 3 maintenance versions
      long previous = -1;
      int markers = 0;
      for (long v = h.table.earliestVersion().orElseThrow(); v <= latest; v++) {
        if (Marker.parse(h.table.properties(v).properties()).isPresent()) {
          if (previous > 0) {
            assertThat(v - previous).as("versions from marker %d to %d", previous, v)
                .isLessThanOrEqualTo(1 + 3);
          }
          previous = v;
          markers++;
        }
      }
      assertThat(markers).isGreaterThan(3);
      assertThat(h.coldLastBatch("w", lookback)).hasValue(59);
      assertThat(MaintenanceHarness.ids(h.table)).hasSize(60 * 300);
    }
  }
}
