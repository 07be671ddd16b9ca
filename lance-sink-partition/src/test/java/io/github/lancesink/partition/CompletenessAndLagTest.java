package io.github.lancesink.partition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.lancesink.internal.partition.PartitionPlanner;
import io.github.lancesink.internal.partition.StabilityTracker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rules, the stability tracker and the lag planner, on a hand-moved clock. No Spark. */
class CompletenessAndLagTest {
  private static final PartitionLayout L = PartitionLayout.defaults();
  private static final Instant T0 = Instant.parse("2026-05-04T10:00:00Z");
  private static final Duration MIN = Duration.ofMinutes(1);

  private static PartitionSnapshot part(int minute, boolean marker, String... files) {
    Instant t = T0.plus(MIN.multipliedBy(minute));
    List<SourceFile> fs = new ArrayList<>();
    for (String f : files) {
      fs.add(new SourceFile(L.format(t) + "/" + f, 100, Instant.EPOCH));
    }
    return new PartitionSnapshot(t, L.format(t), fs, marker);
  }

  private static CompletenessRule.Observation obs(PartitionSnapshot p, Instant now, Instant since,
      boolean later) {
    return new CompletenessRule.Observation(p, now, since, later);
  }

  @Test
  void basicRulesAndCombinations() {
    PartitionSnapshot marked = part(0, true, "a");
    PartitionSnapshot bare = part(0, false, "a");
    Instant now = T0;
    assertThat(CompletenessRule.successMarker().isComplete(obs(marked, now, now, false))).isTrue();
    assertThat(CompletenessRule.successMarker().isComplete(obs(bare, now, now, true))).isFalse();
    assertThat(CompletenessRule.nextPartitionExists().isComplete(obs(bare, now, now, true)))
        .isTrue();
    CompletenessRule stable = CompletenessRule.stableFor(Duration.ofSeconds(30));
    assertThat(stable.isComplete(obs(bare, now, now.minusSeconds(29), false))).isFalse();
    assertThat(stable.isComplete(obs(bare, now, now.minusSeconds(30), false))).isTrue();
    CompletenessRule def = CompletenessRule.defaults();
    assertThat(def.description())
        .isEqualTo("allOf(anyOf(successMarker, nextPartitionExists), stableFor(30s))");
    assertThat(def.isComplete(obs(marked, now, now, false))).as("marker but just seen").isFalse();
    assertThat(def.isComplete(obs(marked, now, now.minusSeconds(31), false))).isTrue();
    assertThat(def.isComplete(obs(bare, now, now.minusSeconds(31), false))).as("no marker, last")
        .isFalse();
    assertThat(def.isComplete(obs(bare, now, now.minusSeconds(31), true))).isTrue();
    assertThat(CompletenessRule.anyOf(CompletenessRule.successMarker(), stable)
        .isComplete(obs(marked, now, now, false))).isTrue();
    assertThatThrownBy(() -> CompletenessRule.stableFor(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
    assertThatThrownBy(CompletenessRule::allOf).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stableListingRestartsItsTimerWhenFilesAreAdded() {
    StabilityTracker tracker = new StabilityTracker();
    CompletenessRule rule = CompletenessRule.stableFor(Duration.ofSeconds(30));
    Instant now = T0;
    PartitionSnapshot one = part(0, false, "a");
    assertThat(rule.isComplete(obs(one, now, tracker.unchangedSince(one, now), false))).isFalse();
    now = now.plusSeconds(20);
    PartitionSnapshot two = part(0, false, "a", "b"); // a file was added after the first listing
    assertThat(tracker.unchangedSince(two, now)).isEqualTo(now);
    now = now.plusSeconds(20); // 40 s after the first listing, 20 s after the change
    assertThat(rule.isComplete(obs(two, now, tracker.unchangedSince(two, now), false))).isFalse();
    now = now.plusSeconds(10);
    assertThat(rule.isComplete(obs(two, now, tracker.unchangedSince(two, now), false))).isTrue();
    tracker.retain(Set.of());
    assertThat(tracker.unchangedSince(two, now)).as("forgotten once unlisted").isEqualTo(now);
  }

  @Test
  void catchUpProcessesTheCompletePrefixInOrderAndNeverPassesAnIncompletePartition() {
    List<PartitionSnapshot> ps = List.of(part(1, true), part(2, true), part(3, false),
        part(4, true));
    var plan = PartitionPlanner.plan(ps, Optional.of(T0), PartitionSnapshot::successMarker,
        LagPolicy.catchUp(), MIN);
    assertThat(plan.process()).extracting(PartitionSnapshot::path)
        .containsExactly(L.format(T0.plus(MIN)), L.format(T0.plus(MIN.multipliedBy(2))));
    assertThat(plan.skip()).isEmpty();
    assertThat(plan.waiting()).containsExactly(L.format(T0.plus(MIN.multipliedBy(3))),
        L.format(T0.plus(MIN.multipliedBy(4))));
    var none = PartitionPlanner.plan(ps, Optional.of(T0.plus(MIN.multipliedBy(4))),
        p -> true, LagPolicy.catchUp(), MIN);
    assertThat(none.process()).isEmpty();
  }

  @Test
  void skipToLatestJumpsOnlyWhenLagExceedsTheLimitAndNamesTheSkippedRange() {
    List<PartitionSnapshot> ps = new ArrayList<>();
    for (int m = 1; m <= 10; m++) {
      ps.add(part(m, m != 4)); // minute 4 is incomplete: skipped too
    }
    LagPolicy skip = LagPolicy.skipToLatest(Duration.ofMinutes(5));
    var plan = PartitionPlanner.plan(ps, Optional.of(T0), PartitionSnapshot::successMarker, skip,
        MIN);
    assertThat(plan.process()).extracting(PartitionSnapshot::time)
        .containsExactly(T0.plus(MIN.multipliedBy(10)));
    var k = plan.skip().orElseThrow();
    assertThat(k.from()).isEqualTo(T0.plus(MIN));
    assertThat(k.to()).isEqualTo(T0.plus(MIN.multipliedBy(9)));
    assertThat(k.lag()).isEqualTo(Duration.ofMinutes(10));
    assertThat(k.paths()).hasSize(9).first().isEqualTo(L.format(T0.plus(MIN)));
    // within the limit it behaves like catch-up
    var close = PartitionPlanner.plan(ps.subList(0, 3), Optional.of(T0),
        PartitionSnapshot::successMarker, skip, MIN);
    assertThat(close.skip()).isEmpty();
    assertThat(close.process()).hasSize(3);
    assertThat(skip).isEqualTo(LagPolicy.skipToLatest(Duration.ofMinutes(5)));
    assertThat(skip.toString()).contains("PT5M");
    assertThatThrownBy(() -> LagPolicy.skipToLatest(Duration.ofMinutes(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1M");
  }

  @Test
  void lateDataPolicyValues() {
    assertThat(LateDataPolicy.defaults().kind()).isEqualTo(LateDataPolicy.Kind.REPORT);
    assertThat(LateDataPolicy.reprocess().withWindow(Duration.ofMinutes(10)).window())
        .isEqualTo(Duration.ofMinutes(10));
    assertThatThrownBy(() -> LateDataPolicy.report().withWindow(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT-1S");
  }
}
