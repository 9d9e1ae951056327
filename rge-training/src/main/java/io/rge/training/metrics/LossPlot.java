package io.rge.training.metrics;

import io.rge.core.files.AtomicFiles;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The loss curves of a run (total, LM, contrastive against the step) as a PNG, drawn as a paper
 * figure: a logarithmic loss axis (an early spike does not flatten the rest), one fixed colour per
 * term in every run's plot, the step axis from 0, and a dashed line where the LM-only warm-up ends.
 */
public final class LossPlot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 520;

  /** The colour of each term, the same in every plot. */
  public static final Color TOTAL = new Color(0x33, 0x33, 0x33);

  public static final Color LM = new Color(0x1f, 0x77, 0xb4);
  public static final Color CONTRASTIVE = new Color(0xd6, 0x60, 0x1a);
  private static final Color PHASE = new Color(0x99, 0x99, 0x99);

  /** Losses below this are drawn at it: a log axis has no zero. */
  static final double FLOOR = 1e-4;

  private LossPlot() {}

  /** As {@link #write(Path, List, String, long)} without a warm-up marker. */
  public static void write(Path file, List<StepMetrics> history, String title) throws IOException {
    write(file, history, title, 0);
  }

  /**
   * Draws the non-skipped steps of {@code history} into {@code file} (written to a temporary file
   * and renamed); a series with no values (LM in baseline mode) is left out.
   *
   * @param warmupEnd the last LM-only step, marked with a dashed line; 0 for none
   */
  public static void write(Path file, List<StepMetrics> history, String title, long warmupEnd)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("optimizer step")
            .yAxisTitle("loss (log scale)")
            .build();
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisDecimalPattern("0");
    chart.getStyler().setXAxisTickMarkSpacingHint(120);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
    chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
    chart.getStyler().setChartBackgroundColor(Color.WHITE);
    chart.getStyler().setPlotGridLinesColor(new Color(0xe5, 0xe5, 0xe5));
    double[] range = {Double.MAX_VALUE, 0};
    int series =
        addSeries(chart, "total", TOTAL, history, StepMetrics::total, range)
            + addSeries(chart, "LM", LM, history, StepMetrics::lm, range)
            + addSeries(
                chart, "contrastive", CONTRASTIVE, history, StepMetrics::contrastive, range);
    if (series == 0) {
      chart.addSeries("no finite losses", new double[] {0}, new double[] {1});
    } else {
      chart.getStyler().setYAxisLogarithmic(true);
      // A round end gives round ticks (0, 200, ...), not 1, 78, 155.
      long lastStep = history.isEmpty() ? 1 : history.get(history.size() - 1).step();
      long unit = lastStep <= 100 ? 10 : 100;
      chart.getStyler().setXAxisMax((double) ((lastStep + unit - 1) / unit * unit));
      if (warmupEnd > 0) {
        XYSeries marker =
            chart.addSeries(
                "end of LM-only warm-up (step " + warmupEnd + ")",
                new double[] {warmupEnd, warmupEnd},
                new double[] {range[0], range[1]});
        marker.setMarker(SeriesMarkers.NONE);
        marker.setLineColor(PHASE);
        marker.setLineStyle(SeriesLines.DASH_DASH);
      }
    }
    AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
  }

  private static int addSeries(
      XYChart chart,
      String name,
      Color colour,
      List<StepMetrics> history,
      Function<StepMetrics, Double> value,
      double[] range) {
    List<Double> xs = new ArrayList<>();
    List<Double> ys = new ArrayList<>();
    for (StepMetrics m : history) {
      Double y = value.apply(m);
      if (!m.skipped() && y != null && Double.isFinite(y)) {
        double shown = Math.max(FLOOR, y);
        xs.add((double) m.step());
        ys.add(shown);
        range[0] = Math.min(range[0], shown);
        range[1] = Math.max(range[1], shown);
      }
    }
    if (xs.isEmpty()) {
      return 0;
    }
    XYSeries series = chart.addSeries(name, xs, ys);
    series.setMarker(SeriesMarkers.NONE);
    series.setLineColor(colour);
    series.setLineWidth(1.2f);
    return 1;
  }
}
