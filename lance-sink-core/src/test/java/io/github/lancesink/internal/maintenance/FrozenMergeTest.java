package io.github.lancesink.internal.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.lancesink.spi.TableStats;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which fragments the cheap lane may merge beside an index build (pure function). */
class FrozenMergeTest {

  /** Fragments with ids 1..n of {@code rows} rows each. */
  private static TableStats table(int n, long unindexed) {
    List<Long> ids = new java.util.ArrayList<>();
    for (long i = 1; i <= n; i++) {
      ids.add(i);
    }
    return new TableStats(9, 9, n, n * 100L, 0, unindexed, 0,
        Collections.nCopies(n, 100L), ids);
  }

  @Test
  void neverTouchesAFragmentAtOrBelowTheFloor() {
    // ids 1..10, the build reads 1..8: only 9 and 10 may be merged, even when urgent
    assertThat(FrozenMerge.ids(table(10, 1000), 8, 4, 10, true)).containsExactly(9L, 10L);
    // the build reads everything (floor not reported yet): nothing
    assertThat(FrozenMerge.ids(table(10, 1000), Long.MAX_VALUE, 4, 10, true)).isEmpty();
    // a single fragment after the floor: nothing to merge
    assertThat(FrozenMerge.ids(table(10, 1000), 9, 4, 10, true)).isEmpty();
  }

  @Test
  void mergesTheUnindexedTailAfterTheFloorWithoutIndexedFragments() {
    // ids 1..12, floor 6; 7..9 indexed (refreshed earlier), 10..12 the unindexed tail
    assertThat(FrozenMerge.ids(table(12, 300), 6, 4, 3, false)).containsExactly(10L, 11L, 12L);
  }

  @Test
  void indexedFragmentsAfterTheFloorAreMergedOnlyAtTheFanInOrWhenUrgent() {
    // floor 6; 7..9 indexed, 10 the tail (one fragment: nothing to merge on its own)
    assertThat(FrozenMerge.ids(table(10, 100), 6, 4, 1, false)).isEmpty();
    assertThat(FrozenMerge.ids(table(10, 100), 6, 4, 1, true)).containsExactly(7L, 8L, 9L);
    // urgent: the larger group goes first (indexed 7..9 before a two-fragment tail 10..11)
    assertThat(FrozenMerge.ids(table(11, 200), 6, 4, 2, true)).containsExactly(7L, 8L, 9L);
    assertThat(FrozenMerge.ids(table(11, 200), 6, 4, 2, false)).containsExactly(10L, 11L);
    // floor 4; 5..9 indexed (five, fan-in 4): the last four, never the unindexed tail 10
    assertThat(FrozenMerge.ids(table(10, 100), 4, 4, 1, false)).containsExactly(6L, 7L, 8L, 9L);
  }

  @Test
  void aPortWithoutFragmentIdsGetsNoMerge() {
    TableStats noIds = new TableStats(9, 9, 10, 1000, 0, 1000, 0, Collections.nCopies(10, 100L));
    assertThat(FrozenMerge.ids(noIds, 2, 4, 10, true)).isEmpty();
  }
}
