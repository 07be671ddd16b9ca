package io.github.lancesink.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes the optimize benchmark's tables ({@code results/optimize-<mode>.md}): a summary per run
 * and policy with the median over runs, and the per-window table of the last run. The plot is
 * {@link OptimizePlot}.
 */
final class OptimizeReport {
  private OptimizeReport() {}

  static final String[] SUMMARY = {"throughput vs never()", "peak fragments",
      "batches > fragment bound", "peak unindexed (indexed)", "batches > unindexed bound",
      "peak index segments", "batches > segment bound", "stall s", "stalls", "stops",
      "commit p50 last/first", "max commit p99 ms", "worst query p99 / fresh", "min recall@10",
      "first indexed batch", "probe ms mean"};

  static void write(OptimizeSettings s, List<OptimizeRun[]> runs) throws Exception {
    String[] head = new String[SUMMARY.length + 2];
    head[0] = "run";
    head[1] = "policy";
    System.arraycopy(SUMMARY, 0, head, 2, SUMMARY.length);
    Results summary = new Results("Summary per run (" + s.mode() + ")", head);
    List<double[]> def = new ArrayList<>();
    List<double[]> nev = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      OptimizeRun[] r = runs.get(i);
      double[] d = summarize(r[0], r[1], s);
      double[] n = summarize(r[1], r[1], s);
      def.add(d);
      nev.add(n);
      summary.row(cells(String.valueOf(i + 1), "default", d));
      summary.row(cells(String.valueOf(i + 1), "never", n));
    }
    if (runs.size() > 1) {
      summary.row(cells("median of " + runs.size(), "default", median(def)));
      summary.row(cells("median of " + runs.size(), "never", median(nev)));
    }
    summary.note(String.format("Bounds, checked after every batch: fragments <= %d,"
        + " unindexed rows <= %,d once the vector index exists, index segments <= %d."
        + " Targets: throughput (rows / time inside sink.write) >= %s x never(); commit p50"
        + " last/first <= 1.1; query p99 <= 1.5 x a freshly compacted and indexed copy in every"
        + " window; recall@10 >= 0.95.", s.boundFragments(), s.boundUnindexed(),
        s.boundSegments(), s.intervalMs() > 0 ? "0.85" : "0.7"));
    OptimizeRun[] last = runs.get(runs.size() - 1);
    Results windows = windowTable(s, last);
    noteMaintenance(windows, last[0]);
    StringBuilder props = new StringBuilder();
    new TreeMap<>(System.getProperties()).forEach((k, v) -> {
      if (k.toString().startsWith("bench.optimize")) {
        props.append(' ').append(k).append('=').append(v);
      }
    });
    String preamble = "# Optimize benchmark, " + s.mode() + "\n\n" + s.describe() + "; "
        + "OptimizePolicy.defaults() and never() in the same JVM, one after the other, "
        + runs.size() + " run(s). Properties:" + (props.length() == 0 ? " none" : props)
        + ". Machine shared with other builds: numbers are noisy.\n\n";
    Results.writeAll(s.file(), preamble, List.of(summary, windows));
    OptimizePlot.write(s, last);
  }

  private static Results windowTable(OptimizeSettings s, OptimizeRun[] runs) {
    Results t = new Results("Per window, last run (" + s.mode() + ")", "policy", "batches",
        "peak fragments", "peak unindexed (indexed)", "peak segments", "stall s",
        "time in sink.write s", "commit p50 ms", "commit p99 ms", "query p50 ms", "query p99 ms",
        "fresh p99 ms", "p99 / fresh", "recall@10");
    for (OptimizeRun r : runs) {
      for (int w = 0; w < r.windows.size(); w++) {
        OptimizeRun.Window x = r.windows.get(w);
        double fresh = freshFor(r, w);
        t.row(r.name, (long) x.end, x.peakFragments, dash(x.peakUnindexed),
            dash(x.peakSegments), x.stallSeconds, x.writeSeconds, x.commitP50, x.commitP99,
            x.queryP50, x.queryP99, Double.isNaN(x.fresh) ? "(" + Results.fmt(fresh) + ")"
                : Results.fmt(fresh), x.queryP99 / fresh, x.recall);
      }
    }
    t.note("fresh p99: query p99 of the same rows (read back from never() at that batch)"
        + " rewritten into fragments of the default target size and indexed from scratch (IVF_SQ,"
        + " rows / 4,096 partitions). In parentheses: windows without their own rebuild use the"
        + " next rebuilt window's value. Queries: 20 per window (k=10, nprobes "
        + Integer.getInteger("bench.optimize.nprobes", 20) + ", refine "
        + Integer.getInteger("bench.optimize.refine", 10) + ") on the writer thread between"
        + " batches; the pacing schedule moves past them. Ground truth: Lance flat search on the"
        + " never() table at the same batch. Peaks are over every batch of the window.");
    return t;
  }

  private static void noteMaintenance(Results t, OptimizeRun def) {
    StringBuilder m = new StringBuilder("Maintenance (default policy, last run), runs and total"
        + " seconds per action:");
    def.maintenance.forEach((action, v) -> m.append(String.format(" %s %d / %.1f s;", action,
        (long) v[0], v[1])));
    m.append(String.format(" commit retries %d. Stream %.0f s (queries excluded).",
        def.commitRetries.get(), def.streamSeconds));
    if (def.settled != null) {
      m.append(String.format(" Settled %.0f s after the last batch: %d fragments, %d unindexed"
          + " rows, query p99 %.1f ms (%.2f x fresh).", def.settledSeconds,
          def.settled.fragments(), def.settled.unindexedRows(), def.settledP99,
          def.settledP99 / freshFor(def, def.windows.size() - 1)));
    }
    t.note(m.toString());
  }

  /** The window's own fresh baseline, else the next window's that has one. */
  static double freshFor(OptimizeRun r, int w) {
    for (int i = w; i < r.windows.size(); i++) {
      if (!Double.isNaN(r.windows.get(i).fresh)) {
        return r.windows.get(i).fresh;
      }
    }
    return Double.NaN;
  }

  static double[] summarize(OptimizeRun r, OptimizeRun never, OptimizeSettings s) {
    long[] segs = OptimizeRun.widen(r.segments);
    double worstRatio = 0;
    double minRecall = 1;
    double maxCommitP99 = 0;
    for (int w = 0; w < r.windows.size(); w++) {
      OptimizeRun.Window x = r.windows.get(w);
      worstRatio = Math.max(worstRatio, x.queryP99 / freshFor(r, w));
      minRecall = Math.min(minRecall, x.recall);
      maxCommitP99 = Math.max(maxCommitP99, x.commitP99);
    }
    OptimizeRun.Window first = r.windows.get(0);
    OptimizeRun.Window last = r.windows.get(r.windows.size() - 1);
    return new double[] {never.writeSeconds() / r.writeSeconds(),
        OptimizeRun.max(r.fragments, 0), OptimizeRun.over(r.fragments, 0, s.boundFragments()),
        OptimizeRun.max(r.unindexed, r.indexedFrom),
        OptimizeRun.over(r.unindexed, r.indexedFrom, s.boundUnindexed()),
        OptimizeRun.max(segs, r.indexedFrom),
        OptimizeRun.over(segs, r.indexedFrom, s.boundSegments()), r.stallSeconds(), r.stalls(),
        r.stops(),
        last.commitP50 / first.commitP50, maxCommitP99, worstRatio, minRecall,
        r.indexedFrom < 0 ? -1 : r.indexedFrom + 1, Arrays.stream(r.probeMs).average().orElse(0)};
  }

  private static Object[] cells(String run, String policy, double[] v) {
    Object[] out = new Object[v.length + 2];
    out[0] = run;
    out[1] = policy;
    for (int i = 0; i < v.length; i++) {
      boolean count = SUMMARY[i].startsWith("peak") || SUMMARY[i].startsWith("batches")
          || SUMMARY[i].equals("stalls") || SUMMARY[i].equals("stops")
          || SUMMARY[i].startsWith("first");
      out[i + 2] = count ? (Object) dash((long) v[i]) : (Object) v[i];
    }
    return out;
  }

  private static double[] median(List<double[]> rows) {
    double[] out = new double[rows.get(0).length];
    for (int i = 0; i < out.length; i++) {
      final int c = i;
      out[i] = Results.median(rows.stream().mapToDouble(r -> r[c]).toArray());
    }
    return out;
  }

  private static String dash(long v) {
    return v < 0 ? "-" : String.format("%,d", v);
  }
}
