package io.github.lancesink.internal.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.index.VectorIndexType;
import io.github.lancesink.spi.TableStats;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The planner's pure functions: size tiers, the unindexed tail, index sizing, backoff. */
class MaintenanceFunctionsTest {

  @Test
  void aTierIsMergedOnceItHoldsFanInFragmentsTogetherWithEverySmallerOne() {
    long full = 1_048_576;
    // fan-in 4: tiers [1, 4), [4, 16), [16, 64) ... rows; three 1k fragments (tier 4) wait
    assertThat(SizeTiers.tieredTarget(List.of(1_000L, 1_000L, 1_000L), full, 4)).isZero();
    assertThat(SizeTiers.tieredTarget(List.of(1_000L, 1_000L, 1_000L, 1_000L), full, 4))
        .isEqualTo(4_000);
    // a full tier of 4k fragments sweeps the smaller 1k ones along (Lance rewrites them too),
    // and leaves the larger 100k one alone
    assertThat(SizeTiers.tieredTarget(
        List.of(100_000L, 4_000L, 4_000L, 4_000L, 4_000L, 1_000L), full, 4)).isEqualTo(17_000);
    // full-size fragments are in no tier; the target never passes the full size
    assertThat(SizeTiers.tieredTarget(List.of(full, full, full, full), full, 4)).isZero();
    assertThat(SizeTiers.tieredTarget(List.of(300_000L, 300_000L, 300_000L, 300_000L), full, 4))
        .isEqualTo(full);
  }

  @Test
  void theUnindexedTailIsTheShortestSuffixAddingUpToTheUnindexedRows() {
    List<Long> sizes = List.of(10_000L, 2_000L, 1_000L, 1_000L);
    assertThat(SizeTiers.unindexedTail(new TableStats(1, 1, 4, 14_000, 0, 2_000, 1, sizes)))
        .isEqualTo(2);
    assertThat(SizeTiers.unindexedTail(new TableStats(1, 1, 4, 14_000, 0, 4_000, 1, sizes)))
        .isEqualTo(3);
    // does not add up (deletes in the tail): no tail; nothing unindexed: no tail
    assertThat(SizeTiers.unindexedTail(new TableStats(1, 1, 4, 14_000, 0, 1_500, 1, sizes)))
        .isZero();
    assertThat(SizeTiers.unindexedTail(new TableStats(1, 1, 4, 14_000, 0, 0, 1, sizes)))
        .isZero();
  }

  @Test
  void partitionsFollowTheRowsWithinLanceLimits() {
    assertThat(IndexSizing.derivedPartitions(100, VectorIndexType.IVF_SQ)).isEqualTo(1);
    assertThat(IndexSizing.derivedPartitions(1_000_000, VectorIndexType.IVF_SQ)).isEqualTo(244);
    assertThat(IndexSizing.derivedPartitions(1_000_000, VectorIndexType.IVF_HNSW_SQ))
        .isEqualTo(61);
    assertThat(IndexSizing.derivedPartitions(1_000_000_000_000L, VectorIndexType.IVF_PQ))
        .isEqualTo(65_536);
  }

  @Test
  void aFailedActionWaitsTheBaseDoublingPerFailureUpTo32Times() {
    Duration base = Duration.ofMinutes(1);
    assertThat(ActionBackoff.delay(base, 1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(ActionBackoff.delay(base, 2)).isEqualTo(Duration.ofMinutes(2));
    assertThat(ActionBackoff.delay(base, 6)).isEqualTo(Duration.ofMinutes(32));
    assertThat(ActionBackoff.delay(base, 60)).isEqualTo(Duration.ofMinutes(32));
    assertThat(ActionBackoff.delay(Duration.ZERO, 3)).isZero();
  }
}
