package io.github.lancesink.bench;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/** Writes the optimize benchmark's table ({@code results/optimize.md}) and plot (PNG). */
final class OptimizeReport {
  private OptimizeReport() {}

  static void write(OptimizeBench.Run policy, OptimizeBench.Run never, int batches, int rows,
      int dim, int window, int queries, long intervalMs) throws Exception {
    Results t = new Results("Optimize cadence: " + batches + " micro-batches x " + rows
        + " rows x " + dim + "-d, OptimizePolicy.defaults() vs never(), windows of " + window
        + (intervalMs > 0 ? ", one batch every " + intervalMs + " ms" : ", back to back"),
        "run", "batches", "fragments", "versions", "unindexed rows", "index deltas",
        "commit p50 ms", "commit p99 ms", "query p50 ms", "query p99 ms", "recall@10");
    for (OptimizeBench.Run r : List.of(policy, never)) {
      for (double[] w : r.windows) {
        t.row(r.name, (long) w[0], (long) w[1], (long) w[2], (long) w[3], (long) w[4], w[5],
            w[6], w[7], w[8], w[9]);
      }
    }
    double[] first = policy.windows.get(0);
    double[] last = policy.windows.get(policy.windows.size() - 1);
    long maxFragments = policy.windows.stream().mapToLong(w -> (long) w[1]).max().orElse(0);
    double minRecall = policy.windows.stream().mapToDouble(w -> w[9]).filter(x -> !Double.isNaN(x))
        .min().orElse(Double.NaN);
    t.note(String.format("Throughput (rows / time inside sink.write): default %.0f rows/s, never"
        + " %.0f rows/s, ratio %.3f (target >= 0.85).", policy.rowsPerSec, never.rowsPerSec,
        policy.rowsPerSec / never.rowsPerSec));
    t.note(String.format("Stream wall time (batch 1 to the last commit, queries between windows"
        + " included): default %.1f s, never %.1f s.", policy.streamSeconds, never.streamSeconds));
    StringBuilder m = new StringBuilder("Background maintenance (default policy), runs and total"
        + " seconds per action:");
    policy.maintenance.forEach((action, v) -> m.append(String.format(" %s %d / %.1f s;", action,
        (long) v[0], v[1])));
    t.note(m.toString());
    t.note(String.format("Commit p50, last window / first window (default policy): %.2f"
        + " (target <= 1.2). never(): %.2f. Commit retries (conflict or transient error, backoff"
        + " included in the commit time): default %d, never %d.", last[5] / first[5],
        never.windows.get(never.windows.size() - 1)[5] / never.windows.get(0)[5],
        policy.commitRetries.get(), never.commitRetries.get()));
    t.note(String.format("Query p99, last window %.1f ms vs the same table freshly compacted and"
        + " re-indexed %.1f ms: ratio %.2f (target <= 1.5).", last[8], policy.freshP99,
        last[8] / policy.freshP99));
    if (policy.settled != null) {
      t.note(String.format("Query p99 once background maintenance had finished, %.0f s after the"
          + " last batch (%d fragments, %d unindexed rows): %.1f ms, ratio %.2f to the freshly"
          + " re-indexed table. The last-window queries above run beside whatever background"
          + " maintenance is doing then, on the same 2 cores.", policy.settledSeconds,
          policy.settled.fragments(), policy.settled.unindexedRows(), policy.settledP99,
          policy.settledP99 / policy.freshP99));
    }
    long totalRows = (long) batches * rows;
    int fanIn = io.github.lancesink.policy.OptimizePolicy.DEFAULT_COMPACTION_FAN_IN;
    long target = io.github.lancesink.policy.OptimizePolicy.DEFAULT_TARGET_ROWS_PER_FRAGMENT;
    int tiers = (int) Math.ceil(Math.log((double) target / rows) / Math.log(fanIn));
    long bound = (totalRows + target - 1) / target + (long) tiers * (fanIn - 1)
        + io.github.lancesink.policy.OptimizePolicy.DEFAULT_EVERY_COMMITS;
    t.note(String.format("Fragments with the default policy peaked at %d. Bound: ceil(rows /"
        + " 1,048,576) + %d size tiers x (fan-in %d - 1) + the %d commits between runs = %d at"
        + " %,d rows, plus the batches that commit during one background run. Lowest recall@10"
        + " across windows: %.3f (target >= 0.9).", maxFragments, tiers, fanIn,
        io.github.lancesink.policy.OptimizePolicy.DEFAULT_EVERY_COMMITS, bound, totalRows,
        minRecall));
    t.note("Queries: " + queries + " per window, k=10, nprobes="
        + Integer.getInteger("bench.optimize.nprobes", 20) + ", refine factor "
        + Integer.getInteger("bench.optimize.refine", 10) + ", ef "
        + Integer.getInteger("bench.optimize.ef", 100) + "; ground truth: Lance flat search"
        + " with the index disabled. Commit = BatchResult.commitDuration (ledger check + Lance"
        + " commit), measured on the same 2 shared cores as background maintenance.");
    t.write("optimize");
    plot(policy, never, Path.of("results", "optimize.png"));
  }

  private static void plot(OptimizeBench.Run a, OptimizeBench.Run b, Path out) throws Exception {
    System.setProperty("java.awt.headless", "true");
    XYChart frag = chart("Fragments", "fragments");
    XYChart commit = chart("Commit p50 (per 10 batches)", "ms");
    XYChart query = chart("ANN query p99 (per window)", "ms");
    for (OptimizeBench.Run r : List.of(a, b)) {
      frag.addSeries(r.name, col(r.buckets, 0), col(r.buckets, 1));
      commit.addSeries(r.name, col(r.buckets, 0), col(r.buckets, 2));
      query.addSeries(r.name, col(r.windows, 0), col(r.windows, 8));
    }
    List<XYChart> charts = List.of(frag, commit, query);
    BufferedImage img = new BufferedImage(900, 3 * 300, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    for (int i = 0; i < charts.size(); i++) {
      g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), 0, i * 300, null);
    }
    g.dispose();
    Files.createDirectories(out.getParent());
    ImageIO.write(img, "png", out.toFile());
    System.out.println("plot written to " + out.toAbsolutePath());
  }

  private static XYChart chart(String title, String y) {
    XYChart c = new XYChartBuilder().width(900).height(300).title(title)
        .xAxisTitle("batch").yAxisTitle(y).build();
    c.getStyler().setMarkerSize(3);
    return c;
  }

  private static double[] col(List<double[]> rows, int i) {
    return rows.stream().mapToDouble(r -> r[i]).toArray();
  }
}
