package io.github.lancesink.internal.maintenance;

import static io.github.lancesink.internal.maintenance.MaintenanceAction.BUILD_INDEX;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.CLEANUP;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.COMPACT;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.OPTIMIZE_INDICES;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.RETRAIN_INDEX;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.SCALAR_INDEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.TestClock;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.spi.IndexSpec;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.TableStats;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Each trigger fires exactly at its threshold (manual clock), and the intents it yields. */
class MaintenancePlannerTest {
  private final TestClock clock = new TestClock();

  /** A policy with every trigger off except what the test turns on. */
  private static OptimizePolicy.Builder quiet() {
    return OptimizePolicy.builder().everyCommits(0).interval(Duration.ZERO).maxFragments(0)
        .maxUnindexedRows(0).maxDeletedRatio(0).indexMinRows(0).everyCommits(1_000_000);
  }

  private MaintenancePlanner planner(OptimizePolicy p) {
    return new MaintenancePlanner(p, Optional.of("vector"), 128, Set.of(), clock.instant());
  }

  private static TableStats stats(long fragments, long rows, long deleted, long unindexed) {
    return new TableStats(10, 10, fragments, rows, deleted, unindexed, 0);
  }

  private static final TableStats SMALL = stats(1, 100, 0, 100);
  private static final List<IndexState> NONE = List.of();
  private static final List<IndexState> VECTOR =
      List.of(new IndexState("vector_idx", "vector", IndexState.Kind.VECTOR, 100, 1));

  @Test
  void everyNCommitsFiresOnTheNthCommitAndRestarts() {
    MaintenancePlanner p = planner(quiet().everyCommits(3).build());
    for (int round = 0; round < 2; round++) {
      for (int i = 1; i <= 3; i++) {
        p.commitObserved();
        List<MaintenanceTrigger> t = p.triggers(clock.instant(), SMALL, NONE);
        if (i < 3) {
          assertThat(t).as("commit %d", i).isEmpty();
        } else {
          assertThat(t).containsExactly(MaintenanceTrigger.COMMITS);
          p.runStarted(clock.instant());
        }
      }
    }
  }

  /**
   * Purpose: a commit observed while a background cycle reads the table's stats is neither
   * counted by that cycle's plan (its stats may not include it) nor consumed by it. Before the
   * fix, the cycle planned on stats without the Nth commit, found nothing to do, and reset the
   * counter: the Nth commit's run never happened (the flaky
   * MaintenanceModesTest.backgroundModeNeverBlocksABatchWhileMaintenanceRuns). Pass: the plan
   * during the read does not fire; the next read does; a run consumes only the commits its read
   * saw.
   */
  @Test
  void aCommitObservedDuringTheStatsReadIsNotConsumedByThatPlan() {
    MaintenancePlanner p = planner(quiet().everyCommits(3).build());
    p.commitObserved();
    p.commitObserved();
    p.statsReadStarting(); // a background cycle starts reading stats after commit 2
    p.commitObserved(); // commit 3 lands meanwhile
    assertThat(p.plan(clock.instant(), SMALL, NONE).triggers()).isEmpty();
    p.statsReadStarting(); // the next cycle sees all three
    assertThat(p.plan(clock.instant(), SMALL, NONE).triggers())
        .contains(MaintenanceTrigger.COMMITS);
    p.commitObserved(); // commit 4 lands during that plan's read...
    p.runStarted(clock.instant()); // ...and is still counted after the run starts
    p.commitObserved();
    p.statsReadStarting();
    assertThat(p.plan(clock.instant(), SMALL, NONE).triggers()).isEmpty();
    p.commitObserved();
    p.statsReadStarting();
    assertThat(p.plan(clock.instant(), SMALL, NONE).triggers())
        .contains(MaintenanceTrigger.COMMITS);
  }

  @Test
  void intervalFiresWhenTheWallTimeHasPassedSinceTheLastRun() {
    MaintenancePlanner p = planner(quiet().interval(Duration.ofMinutes(5)).build());
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertThat(p.triggers(clock.instant(), SMALL, NONE)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(p.triggers(clock.instant(), SMALL, NONE)).containsExactly(
        MaintenanceTrigger.INTERVAL);
    p.runStarted(clock.instant());
    clock.advance(Duration.ofMinutes(4));
    assertThat(p.triggers(clock.instant(), SMALL, NONE)).isEmpty();
  }

  @Test
  void fragmentUnindexedAndDeletedTriggersFireOnlyAboveTheirThresholds() {
    MaintenancePlanner f = planner(quiet().maxFragments(64).build());
    assertThat(f.triggers(clock.instant(), stats(64, 1000, 0, 0), NONE)).isEmpty();
    assertThat(f.triggers(clock.instant(), stats(65, 1000, 0, 0), NONE))
        .containsExactly(MaintenanceTrigger.FRAGMENTS);
    assertThat(f.plan(clock.instant(), stats(65, 1000, 0, 0), NONE).intents())
        .extracting(MaintenanceIntent::action).containsExactly(COMPACT);

    MaintenancePlanner u = planner(quiet().maxUnindexedRows(1000).build());
    List<IndexState> on4000 =
        List.of(new IndexState("vector_idx", "vector", IndexState.Kind.VECTOR, 4000, 1));
    assertThat(u.triggers(clock.instant(), stats(1, 5000, 0, 1000), on4000)).isEmpty();
    assertThat(u.triggers(clock.instant(), stats(1, 5001, 0, 1001), on4000))
        .containsExactly(MaintenanceTrigger.UNINDEXED_ROWS);
    assertThat(u.plan(clock.instant(), stats(1, 5001, 0, 1001), on4000).intents())
        .extracting(MaintenanceIntent::action).containsExactly(OPTIMIZE_INDICES);

    MaintenancePlanner d = planner(quiet().maxDeletedRatio(0.25).build());
    assertThat(d.triggers(clock.instant(), stats(1, 750, 250, 0), NONE)).isEmpty();
    assertThat(d.triggers(clock.instant(), stats(1, 749, 251, 0), NONE))
        .containsExactly(MaintenanceTrigger.DELETED_RATIO);
    assertThat(d.plan(clock.instant(), stats(1, 749, 251, 0), NONE).intents())
        .extracting(MaintenanceIntent::action).containsExactly(COMPACT);
  }

  @Test
  void buildsTheVectorIndexTheFirstTimeTheTableReachesTheThresholdWithDerivedParameters() {
    MaintenancePlanner p = planner(quiet().indexMinRows(10_000)
        .indexType(VectorIndexType.IVF_PQ).build());
    assertThat(p.triggers(clock.instant(), stats(1, 9_999, 0, 9_999), NONE)).isEmpty();
    MaintenanceIntent.Plan plan = p.plan(clock.instant(), stats(1, 10_000, 0, 10_000), NONE);
    assertThat(plan.triggers()).containsExactly(MaintenanceTrigger.INDEX_THRESHOLD);
    assertThat(plan.intents()).singleElement().satisfies(i -> {
      assertThat(i.action()).isEqualTo(BUILD_INDEX);
      IndexSpec spec = ((MaintenanceIntent.BuildIndex) i).spec();
      assertThat(spec.vectorType()).isEqualTo(VectorIndexType.IVF_PQ);
      assertThat(spec.partitions()).isEqualTo(2); // 10,000 / 4,096
      assertThat(spec.subVectors()).isEqualTo(16); // 128 / 8
    });
    // once the index exists the threshold never fires again
    assertThat(p.triggers(clock.instant(), stats(1, 20_000, 0, 10_000), VECTOR)).isEmpty();
    assertThat(IndexSizing.derivedPartitions(1_000, VectorIndexType.IVF_PQ)).isEqualTo(1);
    assertThat(IndexSizing.derivedPartitions(2_000_000, VectorIndexType.IVF_PQ))
        .isEqualTo(488);
    assertThat(IndexSizing.derivedPartitions(2_000_000, VectorIndexType.IVF_HNSW_SQ))
        .isEqualTo(122);
    assertThat(new MaintenancePlanner(quiet().indexMinRows(256).build(), Optional.of("v"), 12,
        Set.of(), clock.instant()).vectorSpec(1_000_000))
        .satisfies(s -> assertThat(s.vectorType()).isEqualTo(VectorIndexType.IVF_SQ))
        .satisfies(s -> assertThat(s.partitions()).isEqualTo(244)); // AUTO, 1M / 4,096
  }

  /**
   * Size-tiered compaction: nothing while no tier holds fan-in fragments; then exactly the small
   * tier's rows as the target, so Lance (which rewrites fragments smaller than the target) leaves
   * the larger fragments alone; the full target once fragments pass maxFragments or deleted rows
   * pass their ratio.
   */
  @Test
  void compactsBySizeTierSoLargeFragmentsAreNotRewrittenEveryRun() {
    long full = 1_048_576;
    assertThat(SizeTiers.tieredTarget(List.of(16_000L, 2_000L, 2_000L), full, 4))
        .isZero();
    List<Long> tail = List.of(1_048_576L, 128_000L, 16_000L, 16_000L, 2_000L, 2_000L, 2_000L,
        2_000L);
    assertThat(SizeTiers.tieredTarget(tail, full, 4)).isEqualTo(8_000);
    // a tier is merged only once it holds fan-in fragments itself: 8k, 16k and 16k (one tier)
    // plus a 2k one are not four of a tier, so nothing is rewritten yet; a fourth in that tier
    // merges the tier and the smaller fragment, never the 128k one
    assertThat(SizeTiers.tieredTarget(
        List.of(1_048_576L, 128_000L, 16_000L, 16_000L, 8_000L, 2_000L), full, 4)).isZero();
    assertThat(SizeTiers.tieredTarget(
        List.of(1_048_576L, 128_000L, 16_000L, 16_000L, 8_000L, 10_000L, 2_000L), full, 4))
        .isEqualTo(52_000);
    // never past the full target, and never counting full fragments
    assertThat(SizeTiers.tieredTarget(
        List.of(900_000L, 900_000L, 2_000L, 2_000L), full, 2)).isEqualTo(4_000);
    assertThat(SizeTiers.tieredTarget(
        List.of(900_000L, 900_000L, 900_000L), full, 2)).isEqualTo(full);

    MaintenancePlanner p = planner(quiet().everyCommits(1).maxFragments(6).compactionFanIn(4)
        .maxDeletedRatio(0.2).build());
    p.commitObserved();
    TableStats tiered = new TableStats(10, 10, 5, 1_056_576, 0, 0, 0,
        List.of(1_048_576L, 2_000L, 2_000L, 2_000L, 2_000L));
    assertThat(p.plan(clock.instant(), tiered, NONE).intents()).singleElement()
        .isEqualTo(new MaintenanceIntent.Compact(8_000));
    TableStats notYet = new TableStats(10, 10, 4, 1_054_576, 0, 0, 0,
        List.of(1_048_576L, 2_000L, 2_000L, 2_000L));
    assertThat(p.plan(clock.instant(), notYet, NONE).intents()).isEmpty();
    TableStats tooMany = new TableStats(10, 10, 7, 1_132_576, 0, 0, 0,
        List.of(1_048_576L, 64_000L, 4_000L, 4_000L, 4_000L, 4_000L, 4_000L));
    assertThat(p.plan(clock.instant(), tooMany, NONE).intents()).singleElement()
        .isEqualTo(new MaintenanceIntent.Compact(full));
    TableStats deleted = new TableStats(10, 10, 2, 800_000, 300_000, 0, 0,
        List.of(1_048_576L, 52_000L));
    assertThat(p.plan(clock.instant(), deleted, NONE).intents()).singleElement()
        .isEqualTo(new MaintenanceIntent.Compact(full));
  }

  /**
   * Purpose: once a vector index exists, rows are indexed in batches of about maxUnindexedRows
   * (LSM style), not after every few commits; until then the tail is only merged. Refreshing
   * eagerly made a small indexed fragment every few batches, each later compacted with an index
   * remap. Pass: 6,000 unindexed rows under a 10,000 threshold are merged, not indexed; above
   * the threshold, or once the interval passed (a quiet table is indexed within it), they are
   * indexed; with only scalar indices, or maxUnindexedRows 0, every run refreshes.
   */
  @Test
  void refreshesTheVectorIndexInBatchesOfMaxUnindexedRows() {
    MaintenancePlanner p = planner(quiet().everyCommits(1).maxUnindexedRows(10_000)
        .interval(Duration.ofMinutes(5)).retrainDrift(0).build());
    p.commitObserved();
    List<Long> sizes = List.of(160_000L, 2_000L, 2_000L, 2_000L);
    TableStats six = new TableStats(10, 10, 4, 166_000, 0, 6_000, 1, sizes);
    assertThat(p.plan(clock.instant(), six, VECTOR).intents())
        .extracting(MaintenanceIntent::action).containsExactly(COMPACT);
    List<Long> big = List.of(160_000L, 6_000L, 6_000L);
    TableStats twelve = new TableStats(10, 10, 3, 172_000, 0, 12_000, 1, big);
    assertThat(p.plan(clock.instant(), twelve, VECTOR).intents())
        .extracting(MaintenanceIntent::action).containsExactly(COMPACT, OPTIMIZE_INDICES);
    clock.advance(Duration.ofMinutes(5));
    assertThat(p.plan(clock.instant(), six, VECTOR).intents())
        .extracting(MaintenanceIntent::action).containsExactly(COMPACT, OPTIMIZE_INDICES);
    p.runStarted(clock.instant());
    p.commitObserved();
    List<IndexState> keyOnly =
        List.of(new IndexState("id_idx", "id", IndexState.Kind.SCALAR, 160_000, 1));
    assertThat(p.plan(clock.instant(), six, keyOnly).intents())
        .extracting(MaintenanceIntent::action).contains(OPTIMIZE_INDICES);
    MaintenancePlanner eager = planner(quiet().everyCommits(1).retrainDrift(0).build());
    eager.commitObserved();
    assertThat(eager.plan(clock.instant(), six, VECTOR).intents())
        .extracting(MaintenanceIntent::action).containsExactly(COMPACT, OPTIMIZE_INDICES);
  }

  /**
   * Once an index exists, the unindexed tail (the newest fragments, summing to exactly the
   * unindexed rows) is merged into one fragment before the same run indexes it, so the index
   * never covers, and compaction never has to remap, the small batch fragments.
   */
  @Test
  void mergesTheUnindexedTailBeforeIndexingIt() {
    MaintenancePlanner p = planner(quiet().everyCommits(1).compactionFanIn(8).retrainDrift(0).build());
    p.commitObserved();
    List<Long> sizes = List.of(160_000L, 20_000L, 20_000L, 2_000L, 2_000L, 2_000L);
    TableStats tail = new TableStats(10, 10, 6, 206_000, 0, 6_000, 1, sizes);
    MaintenanceIntent.Plan plan = p.plan(clock.instant(), tail, VECTOR);
    assertThat(plan.intents()).extracting(MaintenanceIntent::action)
        .containsExactly(COMPACT, OPTIMIZE_INDICES);
    assertThat(plan.intents().get(0)).isEqualTo(new MaintenanceIntent.Compact(6_000));
    // the same shape without an index: only the size tiers decide (three 2k fragments < fan-in)
    assertThat(p.unindexedTailTarget(tail)).isEqualTo(6_000);
    assertThat(p.plan(clock.instant(),
        new TableStats(10, 10, 6, 206_000, 0, 206_000, 0, sizes), NONE).intents())
        .extracting(MaintenanceIntent::action).doesNotContain(COMPACT);
    // a one-fragment tail, a tail that does not add up (deletes), or no sizes: no tail target
    assertThat(p.unindexedTailTarget(new TableStats(10, 10, 6, 206_000, 0, 2_000, 1, sizes)))
        .isZero();
    assertThat(p.unindexedTailTarget(new TableStats(10, 10, 6, 206_000, 0, 5_000, 1, sizes)))
        .isZero();
    assertThat(p.unindexedTailTarget(new TableStats(10, 10, 6, 206_000, 0, 6_000, 1, List.of())))
        .isZero();
    // adjacent indexed fragments below the tail's rows would be merged too (and their index
    // remapped): the target drops to the larger of them, or to nothing when that is too small
    assertThat(p.unindexedTailTarget(new TableStats(10, 10, 6, 36_000, 0, 6_000, 1,
        List.of(20_000L, 5_000L, 5_000L, 2_000L, 2_000L, 2_000L)))).isEqualTo(5_000);
    assertThat(p.unindexedTailTarget(new TableStats(10, 10, 6, 28_000, 0, 6_000, 1,
        List.of(20_000L, 1_000L, 1_000L, 2_000L, 2_000L, 2_000L)))).isZero();
    // the size tiers count indexed fragments only: eight 2k batch fragments (a full tier on
    // their own, target 16k) are merged as the tail, without sweeping the indexed 14k ones
    List<Long> eight = List.of(14_000L, 14_000L, 2_000L, 2_000L, 2_000L, 2_000L, 2_000L, 2_000L,
        2_000L, 2_000L);
    TableStats eightNew = new TableStats(10, 10, 10, 44_000, 0, 16_000, 1, eight);
    assertThat(SizeTiers.unindexedTail(eightNew)).isEqualTo(8);
    assertThat(p.plan(clock.instant(), eightNew, VECTOR).intents().get(0))
        .isEqualTo(new MaintenanceIntent.Compact(14_000));
    assertThat(SizeTiers.tieredTarget(eight, 1_048_576, 8)).isEqualTo(16_000);
    // only scalar (key) indices: unindexed rows count against the vector index, so every row
    // looks unindexed; the tail rule stays off and the size tiers decide (three 2k < fan-in)
    List<IndexState> keyOnly =
        List.of(new IndexState("id_idx", "id", IndexState.Kind.SCALAR, 206_000, 1));
    assertThat(p.plan(clock.instant(),
        new TableStats(10, 10, 6, 206_000, 0, 206_000, 0, sizes), keyOnly).intents())
        .extracting(MaintenanceIntent::action).doesNotContain(COMPACT);
    // never past the full fragment size
    MaintenancePlanner small = planner(quiet().targetRowsPerFragment(3_000).build());
    assertThat(small.unindexedTailTarget(tail)).isEqualTo(3_000);
  }

  @Test
  void retrainsOnlyOnceRowsAddedSinceTrainingPassTheDriftLimit() {
    MaintenancePlanner p = planner(quiet().everyCommits(1).retrainDrift(0.5).build());
    List<IndexState> trainedOn1000 =
        List.of(new IndexState("vector_idx", "vector", IndexState.Kind.VECTOR, 1000, 1));
    p.commitObserved();
    assertThat(p.plan(clock.instant(), stats(1, 1000, 0, 0), trainedOn1000).intents()).isEmpty();
    assertThat(p.trainedRows()).isEqualTo(1000);
    p.commitObserved();
    assertThat(p.plan(clock.instant(), stats(1, 1500, 0, 500), trainedOn1000).intents())
        .extracting(MaintenanceIntent::action).containsExactly(OPTIMIZE_INDICES);
    p.commitObserved();
    MaintenanceIntent.Plan plan = p.plan(clock.instant(), stats(1, 1501, 0, 501), trainedOn1000);
    assertThat(plan.intents()).extracting(MaintenanceIntent::action)
        .containsExactly(RETRAIN_INDEX);
    p.succeeded(plan.intents().get(0));
    assertThat(p.trainedRows()).isEqualTo(1501);
  }

  @Test
  void mergesDeltasOnceAboveTheBoundAndCleansUpBeyondRetention() {
    MaintenancePlanner p = planner(quiet().everyCommits(1).maxIndexDeltas(2)
        .retainVersions(100).build());
    p.commitObserved();
    List<IndexState> twoDeltas =
        List.of(new IndexState("vector_idx", "vector", IndexState.Kind.VECTOR, 100, 3));
    MaintenanceIntent.Plan plan =
        p.plan(clock.instant(), new TableStats(150, 101, 1, 200, 0, 100, 2), twoDeltas);
    assertThat(plan.intents()).containsExactly(new MaintenanceIntent.OptimizeIndices(3),
        new MaintenanceIntent.Cleanup(51));
  }

  @Test
  void createsMissingKeyIndicesFromTheWriteModeAndThePolicy() {
    MaintenancePlanner p = new MaintenancePlanner(
        quiet().everyCommits(1).scalarIndexColumns(Set.of("tenant")).build(), Optional.empty(),
        0, Set.of("id"), clock.instant());
    p.commitObserved();
    assertThat(p.plan(clock.instant(), SMALL, List.of(
        new IndexState("id_idx", "id", IndexState.Kind.SCALAR, 100, 1))).intents())
        .extracting(i -> i.action() + (i instanceof MaintenanceIntent.ScalarIndex x
            ? ":" + x.spec().column() : ""))
        .containsExactly(SCALAR_INDEX + ":tenant", OPTIMIZE_INDICES.toString());
  }

  @Test
  void aFailedActionIsLeftOutUntilItsBackoffEndsThenRetriedAsPending() {
    MaintenancePlanner p = planner(quiet().maxFragments(10).retryBackoff(Duration.ofMinutes(1))
        .build());
    TableStats many = stats(20, 1000, 0, 0);
    MaintenanceIntent compact = p.plan(clock.instant(), many, NONE).intents().get(0);
    p.runStarted(clock.instant());
    assertThat(p.failed(compact, clock.instant())).isEqualTo(clock.instant().plusSeconds(60));
    assertThat(p.plan(clock.instant(), many, NONE).intents()).isEmpty();
    clock.advance(Duration.ofSeconds(60));
    MaintenanceIntent.Plan retry = p.plan(clock.instant(), stats(5, 1000, 0, 0), NONE);
    assertThat(retry.triggers()).containsExactly(MaintenanceTrigger.PENDING);
    assertThat(retry.intents()).extracting(MaintenanceIntent::action).containsExactly(COMPACT);
    // a second failure doubles the wait
    assertThat(p.failed(compact, clock.instant())).isEqualTo(clock.instant().plusSeconds(120));
  }
}
