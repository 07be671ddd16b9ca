package io.github.lancesink.internal.maintenance;

import static io.github.lancesink.internal.maintenance.MaintenanceAction.COMPACT;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.DROP_INDEX;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.MERGE_FRAGMENTS;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.OPTIMIZE_INDICES;
import static io.github.lancesink.internal.maintenance.MaintenanceAction.RETRAIN_INDEX;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.TestClock;
import io.github.lancesink.policy.OptimizePolicy;
import io.github.lancesink.spi.IndexState;
import io.github.lancesink.spi.TableStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner beside a build (two lanes), in a stall, and across a restart. */
class LanesPlanningTest {
  private final TestClock clock = new TestClock();

  private static OptimizePolicy.Builder quiet() {
    return OptimizePolicy.builder().everyCommits(1).interval(Duration.ZERO).maxFragments(0)
        .maxUnindexedRows(0).maxDeletedRatio(0).indexMinRows(1000).compactionFanIn(4);
  }

  private MaintenancePlanner planner(OptimizePolicy p) {
    return new MaintenancePlanner(p, Optional.of("vector"), 16, Set.of(), clock.instant());
  }

  /** n fragments of 100 rows, ids 1..n, the last {@code unindexed} / 100 unindexed. */
  private static TableStats table(int n, long unindexed) {
    List<Long> ids = new ArrayList<>();
    for (long i = 1; i <= n; i++) {
      ids.add(i);
    }
    return new TableStats(9, 9, n, n * 100L, 0, unindexed, 0, Collections.nCopies(n, 100L), ids);
  }

  private static List<IndexState> vector(String name, long rows) {
    return List.of(new IndexState(name, "vector", IndexState.Kind.VECTOR, rows, 1));
  }

  @Test
  void besideABuildOnlyFragmentsAfterItsFloorAreMergedAndNoSecondBuildIsPlanned() {
    MaintenancePlanner p = planner(quiet().retrainDrift(1.0).build());
    p.restoreBaseline("vector_idx", 1000);
    p.commitObserved();
    // 30 fragments, 20 indexed, trained on 1,000 rows: a retrain is due
    TableStats s = table(30, 1000);
    MaintenanceIntent.Plan alone = p.plan(clock.instant(), s, vector("vector_idx", 2000));
    // no build in flight: the 10-fragment unindexed tail as one explicit group, the indexed
    // tiers by compaction, and the retrain (the slow lane starts it after this cycle)
    assertThat(alone.intents()).extracting(MaintenanceIntent::action)
        .containsExactly(MERGE_FRAGMENTS, COMPACT, RETRAIN_INDEX);
    assertThat(alone.intents().get(0)).isEqualTo(new MaintenanceIntent.MergeFragments(
        List.of(21L, 22L, 23L, 24L, 25L, 26L, 27L, 28L, 29L, 30L)));
    MaintenanceIntent.BuildIndex retrain = (MaintenanceIntent.BuildIndex) alone.intents().stream()
        .filter(i -> i.action() == RETRAIN_INDEX).findFirst().orElseThrow();
    assertThat(retrain.spec().name()).isEqualTo("vector_idx_b");
    assertThat(retrain.replaces()).isEqualTo("vector_idx");

    // the slow lane is building and reads fragments 1..25: merge 26..30 (the tail), refresh
    // into the newest delta is not needed yet (no deltas), and no COMPACT, no second retrain
    MaintenanceIntent.Plan beside = p.plan(clock.instant(), s, vector("vector_idx", 2000),
        new Lanes(25, true, false));
    assertThat(beside.intents()).extracting(MaintenanceIntent::action)
        .containsExactly(MERGE_FRAGMENTS, OPTIMIZE_INDICES);
    assertThat(beside.intents().get(0)).isEqualTo(
        new MaintenanceIntent.MergeFragments(List.of(26L, 27L, 28L, 29L, 30L)));
  }

  @Test
  void aStallIsATriggerOfItsOwn() {
    MaintenancePlanner p = planner(quiet().everyCommits(1_000_000).indexMinRows(0).build());
    TableStats s = table(10, 0);
    assertThat(p.plan(clock.instant(), s, List.of()).isEmpty()).isTrue();
    assertThat(p.plan(clock.instant(), s, List.of(), new Lanes(-1, false, true)).triggers())
        .containsExactly(MaintenanceTrigger.STALL);
  }

  /**
   * Purpose: a stalled writer runs only the one cheap action that relieves the bound it crossed,
   * never a whole cycle (tier compaction with an index remap, cleanup, index builds): before,
   * a stall ran a full urgent cycle that compacted every small fragment, indexed or not, and the
   * benchmark's writer spent 365 s stalled. Pass: over the fragment bound with a 5-fragment
   * unindexed tail, exactly those 5 fragments are merged (no compaction, no cleanup due at
   * version 9 with retainVersions 1, no retrain due at 2x drift); without a vector index every
   * small fragment is compacted (nothing is indexed, so nothing is remapped); over 1.5x the
   * unindexed bound, a refresh; under both slowdown bounds, nothing; and the stall does not
   * consume the commit counter the background cycle runs on.
   */
  @Test
  void aStalledWriterRunsOnlyTheCheapestActionThatRelievesTheBound() {
    MaintenancePlanner p = planner(quiet().everyCommits(3).maxFragments(20)
        .maxUnindexedRows(300).retainVersions(1).retrainDrift(1.0).build());
    p.restoreBaseline("vector_idx", 1000);
    Lanes stall = new Lanes(-1, false, true);
    TableStats fifteen = table(15, 500); // 15 >= 3/4 of 20; the last 5 unindexed
    MaintenanceIntent.Plan plan = p.plan(clock.instant(), fifteen, vector("vector_idx", 1000),
        stall);
    assertThat(plan.triggers()).containsExactly(MaintenanceTrigger.STALL);
    assertThat(plan.intents()).containsExactly(
        new MaintenanceIntent.MergeFragments(List.of(11L, 12L, 13L, 14L, 15L)),
        new MaintenanceIntent.OptimizeIndices(0)); // 500 unindexed > 1.5 x 300
    assertThat(p.plan(clock.instant(), table(15, 200), vector("vector_idx", 1300), stall)
        .intents()).containsExactly(
            new MaintenanceIntent.MergeFragments(List.of(14L, 15L)));
    assertThat(p.plan(clock.instant(), table(15, 0), List.of(), stall).intents())
        .containsExactly(
            new MaintenanceIntent.Compact(OptimizePolicy.DEFAULT_TARGET_ROWS_PER_FRAGMENT));
    assertThat(p.plan(clock.instant(), table(10, 200), vector("vector_idx", 800), stall)
        .intents()).isEmpty();
    // three commits: the background cycle's trigger still fires after the stalls above
    p.commitObserved();
    p.commitObserved();
    p.commitObserved();
    assertThat(p.triggers(clock.instant(), table(10, 200), vector("vector_idx", 800)))
        .contains(MaintenanceTrigger.COMMITS);
  }

  @Test
  void theRestoredBaselineDecidesTheRetrainAndNamesTheCurrentIndex() {
    // restored: trained on 1,000 rows; the index now covers 2,000 of 2,100 rows
    MaintenancePlanner restored = planner(quiet().retrainDrift(1.0).build());
    restored.restoreBaseline("vector_idx", 1000);
    restored.commitObserved();
    assertThat(restored.plan(clock.instant(), table(21, 100), vector("vector_idx", 2000))
        .intents()).extracting(MaintenanceIntent::action).contains(RETRAIN_INDEX);
    // without a baseline, drift counts from the 2,000 rows covered: not due
    MaintenancePlanner cold = planner(quiet().retrainDrift(1.0).build());
    cold.commitObserved();
    assertThat(cold.plan(clock.instant(), table(21, 100), vector("vector_idx", 2000))
        .intents()).extracting(MaintenanceIntent::action).doesNotContain(RETRAIN_INDEX);
  }

  @Test
  void aSecondVectorIndexLeftByAnInterruptedRetrainIsDropped() {
    MaintenancePlanner p = planner(quiet().build());
    p.restoreBaseline("vector_idx", 1000);
    p.commitObserved();
    List<IndexState> both = List.of(
        new IndexState("vector_idx", "vector", IndexState.Kind.VECTOR, 2000, 2),
        new IndexState("vector_idx_b", "vector", IndexState.Kind.VECTOR, 1900, 1));
    List<MaintenanceIntent> intents = p.plan(clock.instant(), table(21, 100), both).intents();
    assertThat(intents).filteredOn(i -> i.action() == DROP_INDEX).singleElement()
        .isEqualTo(new MaintenanceIntent.DropIndex("vector_idx_b"));
  }
}
