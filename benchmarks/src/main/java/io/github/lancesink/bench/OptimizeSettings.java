package io.github.lancesink.bench;

import io.github.lancesink.policy.OptimizePolicy;

/**
 * Sizes and bounds of one optimize-benchmark mode, from system properties. Each value is read
 * from {@code bench.optimize.<mode>.<key>}, then {@code bench.optimize.<key>}, then the mode's
 * default (the full size):
 *
 * <ul>
 *   <li>{@code paced}: 1,000 batches x 2,000 rows x 128-d, one batch every 200 ms;
 *   <li>{@code backtoback}: 2,000 batches x 1,000 rows x 64-d, no pause ({@code intervalMs} is
 *       read only from {@code bench.optimize.backtoback.intervalMs}).
 * </ul>
 *
 * <p>Keys: batches, rows, dim, window (100), queries (20), freshEvery (windows between freshly
 * rebuilt baselines; default a quarter of the windows, the last window always has one), runs
 * (1). {@code bench.optimize.label} names the result files (optimize-&lt;mode&gt;-&lt;label&gt;).
 * Bounds checked at every batch: bound.fragments (policy maxFragments), bound.unindexed (2 x
 * policy maxUnindexedRows, the refresh threshold), bound.segments (maxIndexDeltas + 1).
 */
record OptimizeSettings(String mode, int batches, int rows, int dim, int window, long intervalMs,
    int queries, int freshEvery, int runs, long boundFragments, long boundUnindexed,
    long boundSegments) {

  static OptimizeSettings of(String mode) {
    boolean paced = switch (mode) {
      case "paced" -> true;
      case "backtoback" -> false;
      default -> throw new IllegalArgumentException("bench.optimize.mode must be paced,"
          + " backtoback or both, got '" + mode + "'");
    };
    int batches = (int) get(mode, "batches", paced ? 1000 : 2000);
    int window = (int) get(mode, "window", 100);
    int windows = (batches + window - 1) / window;
    long interval = paced ? get(mode, "intervalMs", 200)
        : Long.getLong("bench.optimize.backtoback.intervalMs", 0);
    OptimizePolicy p = OptimizePolicy.defaults();
    return new OptimizeSettings(mode, batches, (int) get(mode, "rows", paced ? 2000 : 1000),
        (int) get(mode, "dim", paced ? 128 : 64), window, interval, (int) get(mode, "queries", 20),
        (int) Math.max(1, get(mode, "freshEvery", Math.max(1, windows / 4))),
        (int) get(mode, "runs", 1), get(mode, "bound.fragments", p.triggers().maxFragments()),
        get(mode, "bound.unindexed", 2 * p.triggers().maxUnindexedRows()),
        get(mode, "bound.segments", p.indexing().maxDeltas() + 1L));
  }

  private static long get(String mode, String key, long def) {
    return Long.getLong("bench.optimize." + mode + "." + key,
        Long.getLong("bench.optimize." + key, def));
  }

  /** Whether window {@code w} (0-based) of {@code n} gets a freshly rebuilt baseline. */
  boolean freshAt(int w, int n) {
    return w == n - 1 || (w + 1) % freshEvery == 0;
  }

  /** Result file name: optimize-<mode>, plus -<bench.optimize.label> when set. */
  String file() {
    String label = System.getProperty("bench.optimize.label", "");
    return "optimize-" + mode + (label.isEmpty() ? "" : "-" + label);
  }

  String describe() {
    return String.format("%,d micro-batches x %,d rows x %d-d (%,d rows), %s, windows of %d"
        + " batches", batches, rows, dim, (long) batches * rows,
        intervalMs > 0 ? "one batch every " + intervalMs + " ms" : "back to back", window);
  }
}
