package io.github.lancesink.bench;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The optimize benchmark's plot ({@code results/optimize-<mode>.png}): fragments and unindexed
 * rows after every batch and query p99 per window, default policy against never(), log scale,
 * with the bounds drawn as dashed lines.
 */
final class OptimizePlot {
  private OptimizePlot() {}

  static void write(OptimizeSettings s, OptimizeRun[] runs) throws Exception {
    System.setProperty("java.awt.headless", "true");
    String title = " (" + s.mode() + ", " + s.batches() + " x " + s.rows() + " x " + s.dim()
        + "-d)";
    XYChart frag = chart("Fragments after each batch" + title, "fragments");
    XYChart unindexed = chart("Unindexed rows after each batch" + title, "rows");
    XYChart query = chart("ANN query p99 per window" + title, "ms");
    double[] batches = new double[s.batches()];
    for (int i = 0; i < batches.length; i++) {
      batches[i] = i + 1;
    }
    for (OptimizeRun r : runs) {
      line(frag, r.name, batches, positive(r.fragments));
      line(unindexed, r.name, batches, positive(r.unindexed));
      double[] x = r.windows.stream().mapToDouble(w -> w.end).toArray();
      double[] y = r.windows.stream().mapToDouble(w -> w.queryP99).toArray();
      query.addSeries(r.name, x, y).setMarker(SeriesMarkers.CIRCLE);
    }
    bound(frag, "bound " + s.boundFragments(), s.batches(), s.boundFragments());
    bound(unindexed, "bound " + s.boundUnindexed(), s.batches(), s.boundUnindexed());
    OptimizeRun def = runs[0];
    double[] fx = new double[def.windows.size()];
    double[] fy = new double[def.windows.size()];
    for (int w = 0; w < fx.length; w++) {
      fx[w] = def.windows.get(w).end;
      fy[w] = 1.5 * OptimizeReport.freshFor(def, w);
    }
    XYSeries target = query.addSeries("1.5 x fresh copy", fx, fy);
    target.setMarker(SeriesMarkers.NONE);
    target.setLineStyle(dashed());
    List<XYChart> charts = List.of(frag, unindexed, query);
    BufferedImage img = new BufferedImage(1000, 3 * 320, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    for (int i = 0; i < charts.size(); i++) {
      g.drawImage(BitmapEncoder.getBufferedImage(charts.get(i)), 0, i * 320, null);
    }
    g.dispose();
    Path out = Path.of("results", s.file() + ".png");
    Files.createDirectories(out.getParent());
    ImageIO.write(img, "png", out.toFile());
    System.out.println("plot written to " + out.toAbsolutePath());
  }

  private static void line(XYChart c, String name, double[] x, double[] y) {
    c.addSeries(name, x, y).setMarker(SeriesMarkers.NONE);
  }

  private static void bound(XYChart c, String name, int batches, long value) {
    XYSeries b = c.addSeries(name, new double[] {1, batches}, new double[] {value, value});
    b.setMarker(SeriesMarkers.NONE);
    b.setLineStyle(dashed());
  }

  private static BasicStroke dashed() {
    return new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f);
  }

  /** Log axes need positive values: 0 is drawn as 1. */
  private static double[] positive(long[] xs) {
    double[] out = new double[xs.length];
    for (int i = 0; i < xs.length; i++) {
      out[i] = Math.max(1, xs[i]);
    }
    return out;
  }

  private static XYChart chart(String title, String y) {
    XYChart c = new XYChartBuilder().width(1000).height(320).title(title)
        .xAxisTitle("batch").yAxisTitle(y).build();
    c.getStyler().setYAxisLogarithmic(true);
    c.getStyler().setMarkerSize(5);
    // no tick-spacing hint: with a log y axis, XChart 3.8.8 then drops the y-axis labels
    c.getStyler().setXAxisDecimalPattern("#");
    return c;
  }
}
