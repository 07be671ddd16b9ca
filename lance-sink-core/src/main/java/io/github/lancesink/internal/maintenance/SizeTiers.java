package io.github.lancesink.internal.maintenance;

import io.github.lancesink.spi.TableStats;
import java.util.List;
import java.util.TreeMap;

/** Size tiers and the unindexed tail of a table's fragment list. Pure functions. */
final class SizeTiers {
  private SizeTiers() {}

  /**
   * How many of the newest fragments make up the unindexed tail: the shortest suffix whose rows
   * add up to exactly the unindexed rows, or 0 when none does (or the port reports no sizes).
   */
  static int unindexedTail(TableStats stats) {
    long unindexed = stats.unindexedRows();
    List<Long> sizes = stats.fragmentRows();
    if (unindexed <= 0 || sizes.size() != stats.fragments()) {
      return 0;
    }
    long sum = 0;
    int count = 0;
    for (int i = sizes.size() - 1; i >= 0 && sum < unindexed; i--) {
      sum += sizes.get(i);
      count++;
    }
    return sum == unindexed ? count : 0;
  }

  /**
   * The row target that merges the smallest size tier holding {@code fanIn} fragments (with
   * every smaller fragment, which Lance rewrites as well), or 0 when no tier is full. Tiers are
   * a factor {@code fanIn} apart; fragments of {@code full} rows or more are never in a tier.
   */
  static long tieredTarget(List<Long> sizes, long full, int fanIn) {
    TreeMap<Integer, long[]> tiers = new TreeMap<>(); // tier -> count, rows
    for (long n : sizes) {
      if (n > 0 && n < full) {
        int tier = (int) Math.floor(Math.log(n) / Math.log(fanIn));
        long[] t = tiers.computeIfAbsent(tier, k -> new long[2]);
        t[0]++;
        t[1] += n;
      }
    }
    long rows = 0; // rows in this tier and every smaller one (Lance rewrites those as well)
    for (long[] t : tiers.values()) {
      rows += t[1];
      if (t[0] >= fanIn) {
        return Math.min(full, rows);
      }
    }
    return 0;
  }
}
