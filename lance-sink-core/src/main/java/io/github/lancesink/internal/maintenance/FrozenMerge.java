package io.github.lancesink.internal.maintenance;

import io.github.lancesink.spi.TableStats;
import java.util.List;

/**
 * Which fragments the cheap lane may merge while an index build reads the table: only the ones
 * with an id above the build's read floor (appended, or rewritten, after it opened the table), so
 * the build's commit never conflicts (Lance fails a CreateIndex whose fragments a concurrent
 * Rewrite replaced; a Rewrite of other fragments is accepted, as {@code LanceConflictRulesTest}
 * shows). Pure function.
 */
final class FrozenMerge {
  private FrozenMerge() {}

  /**
   * The fragment ids to merge, or an empty list. Only fragments after the floor (a suffix of the
   * dataset order) are candidates, and a group never mixes fragments the index covers with ones
   * it does not (Lance refuses such a rewrite group). Among the indexed fragments after the floor
   * (tails merged and refreshed earlier), the last {@code fanIn} are merged once there are that
   * many, so they stay fewer than {@code fanIn} however long the build takes. Otherwise the
   * unindexed tail ({@code tail} newest fragments) after the floor is merged once it holds two
   * or more; when {@code urgent} (a stall, or too many fragments) the larger of the two groups
   * is merged, so a stall never merges only a two-fragment tail while indexed ones pile up.
   */
  static List<Long> ids(TableStats stats, long floor, int fanIn, int tail, boolean urgent) {
    List<Long> ids = stats.fragmentIds();
    if (ids.isEmpty() || ids.size() != stats.fragments()) {
      return List.of(); // the port reports no ids: never guess
    }
    int first = firstAfter(ids, floor);
    int after = ids.size() - first;
    int tailAfter = Math.min(tail, after);
    int end = ids.size() - tailAfter; // indexed fragments after the floor: [first, end)
    int indexed = end - first;
    if (indexed >= fanIn) {
      return ids.subList(end - fanIn, end);
    }
    if (urgent && indexed >= 2 && indexed > tailAfter) {
      // the larger group: merging only the tail would leave one more indexed fragment per stall
      return ids.subList(first, end);
    }
    if (tailAfter >= 2) {
      return ids.subList(ids.size() - tailAfter, ids.size());
    }
    if (urgent && indexed >= 2) {
      return ids.subList(first, end);
    }
    return List.of();
  }

  /**
   * The unindexed tail ({@code tail} newest fragments) after the floor, or an empty list when
   * the port reports no ids: the cheapest merge beside a build (no index remap).
   */
  static List<Long> tailAfterFloor(TableStats stats, long floor, int tail) {
    List<Long> ids = stats.fragmentIds();
    if (ids.isEmpty() || ids.size() != stats.fragments()) {
      return List.of();
    }
    List<Long> tailIds = ids.subList(ids.size() - tail, ids.size());
    return tailIds.subList(firstAfter(tailIds, floor), tailIds.size());
  }

  /** Index of the first id above {@code floor} (ids grow in dataset order: a suffix). */
  private static int firstAfter(List<Long> ids, long floor) {
    int first = ids.size();
    while (first > 0 && ids.get(first - 1) > floor) {
      first--;
    }
    return first;
  }
}
